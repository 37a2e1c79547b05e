{{/* Names: the release's full name, truncated to a DNS label (63). */}}
{{- define "gray-console.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gray-console.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "gray-console.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gray-console.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "gray-console.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "gray-console.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "gray-console.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gray-console.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create=false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The namespace of the reconciler's Lease: the release namespace unless set. */}}
{{- define "gray-console.leaderNamespace" -}}
{{- default .Release.Namespace .Values.leader.namespace }}
{{- end }}

{{/* oidc and proxy act as the user through impersonation; token and none do not. */}}
{{- define "gray-console.impersonates" -}}
{{- if has .Values.auth.mode (list "oidc" "proxy") }}true{{ end }}
{{- end }}

{{/* The chart's own Secret (session secret, and the OIDC client secret / database URL when given as values). */}}
{{- define "gray-console.secretName" -}}
{{- include "gray-console.fullname" . }}
{{- end }}

{{- define "gray-console.sessionSecretRef" -}}
name: {{ default (include "gray-console.secretName" .) .Values.auth.session.existingSecret }}
key: {{ ternary .Values.auth.session.existingSecretKey "session-secret" (ne .Values.auth.session.existingSecret "") }}
{{- end }}

{{- define "gray-console.databaseUrlRef" -}}
name: {{ default (include "gray-console.secretName" .) .Values.database.postgresql.existingSecret }}
key: {{ ternary .Values.database.postgresql.existingSecretKey "database-url" (ne .Values.database.postgresql.existingSecret "") }}
{{- end }}

{{- define "gray-console.oidcClientSecretRef" -}}
name: {{ default (include "gray-console.secretName" .) .Values.auth.oidc.existingSecret }}
key: {{ ternary .Values.auth.oidc.existingSecretKey "oidc-client-secret" (ne .Values.auth.oidc.existingSecret "") }}
{{- end }}

{{/* Combinations the values schema cannot express; each fails with the keys to change. */}}
{{- define "gray-console.validate" -}}
{{- if and (gt (int .Values.replicas) 1) (eq .Values.database.type "sqlite") }}
{{- fail "replicas > 1 needs database.type=postgresql: SQLite is one file on one volume" }}
{{- end }}
{{- if and (eq .Values.database.type "postgresql") (not .Values.database.postgresql.url) (not .Values.database.postgresql.existingSecret) }}
{{- fail "database.type=postgresql needs database.postgresql.url or database.postgresql.existingSecret" }}
{{- end }}
{{- if eq .Values.auth.mode "oidc" }}
{{- if or (not .Values.auth.oidc.issuer) (not .Values.auth.oidc.clientId) }}
{{- fail "auth.mode=oidc needs auth.oidc.issuer and auth.oidc.clientId" }}
{{- end }}
{{- end }}
{{- if and (eq .Values.auth.mode "proxy") (not .Values.auth.proxy.trustedProxies) }}
{{- fail "auth.mode=proxy needs auth.proxy.trustedProxies (the CIDRs of oauth2-proxy); headers from anywhere else are ignored" }}
{{- end }}
{{- end }}

{{/*
  Sign-in settings as the console reads them (GC_AUTH and friends, issue 10). Only the
  current mode's settings are rendered; secrets come from Secrets, never plain env values.
*/}}
{{- define "gray-console.authEnv" -}}
- name: GC_AUTH
  value: {{ .Values.auth.mode | quote }}
- name: GC_SESSION_SECRET
  valueFrom:
    secretKeyRef:
      {{- include "gray-console.sessionSecretRef" . | nindent 6 }}
- name: GC_SESSION_MAX_AGE
  value: {{ .Values.auth.session.maxAge | quote }}
{{- if eq .Values.auth.mode "oidc" }}
- name: GC_OIDC_ISSUER
  value: {{ .Values.auth.oidc.issuer | quote }}
- name: GC_OIDC_CLIENT_ID
  value: {{ .Values.auth.oidc.clientId | quote }}
{{- if or .Values.auth.oidc.clientSecret .Values.auth.oidc.existingSecret }}
- name: GC_OIDC_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      {{- include "gray-console.oidcClientSecretRef" . | nindent 6 }}
{{- end }}
{{- with .Values.auth.oidc.redirectUrl }}
- name: GC_OIDC_REDIRECT_URL
  value: {{ . | quote }}
{{- end }}
- name: GC_OIDC_SCOPES
  value: {{ .Values.auth.oidc.scopes | quote }}
- name: GC_OIDC_GROUPS_CLAIM
  value: {{ .Values.auth.oidc.groupsClaim | quote }}
{{- end }}
{{- if eq .Values.auth.mode "proxy" }}
- name: GC_TRUSTED_PROXIES
  value: {{ join "," .Values.auth.proxy.trustedProxies | quote }}
- name: GC_ACTOR_HEADER
  value: {{ .Values.auth.proxy.userHeader | quote }}
- name: GC_PROXY_GROUPS_HEADER
  value: {{ .Values.auth.proxy.groupsHeader | quote }}
{{- end }}
{{- if include "gray-console.impersonates" . }}
- name: GC_IMPERSONATE_USER_PREFIX
  value: {{ .Values.auth.impersonation.userPrefix | quote }}
- name: GC_IMPERSONATE_GROUP_PREFIX
  value: {{ .Values.auth.impersonation.groupPrefix | quote }}
{{- end }}
{{- end }}
