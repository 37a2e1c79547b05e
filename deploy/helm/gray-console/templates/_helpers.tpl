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

{{/*
  GC_PUBLIC_URL: publicUrl, else the first ingress host (https when the Ingress has TLS), else
  empty (the console then takes each request's Host).
*/}}
{{- define "gray-console.publicUrl" -}}
{{- if .Values.publicUrl }}
{{- .Values.publicUrl | trimSuffix "/" }}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts }}
{{- printf "http%s://%s" (ternary "s" "" (not (empty .Values.ingress.tls))) (index .Values.ingress.hosts 0).host }}
{{- end }}
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
{{- if and (not .Values.auth.oidc.clientSecret) (not .Values.auth.oidc.existingSecret) }}
{{- fail "auth.mode=oidc needs auth.oidc.clientSecret or auth.oidc.existingSecret (GC_OIDC_CLIENT_SECRET)" }}
{{- end }}
{{- end }}
{{- if and (eq .Values.auth.mode "proxy") (not .Values.auth.proxy.trustedProxies) }}
{{- fail "auth.mode=proxy needs auth.proxy.trustedProxies (the CIDRs of oauth2-proxy); headers from anywhere else are ignored" }}
{{- end }}
{{- end }}

{{/*
  Sign-in settings exactly as lib/env.ts reads them (GC_AUTH and friends). Only the current
  mode's settings are rendered; secrets come from Secrets, never plain env values.
*/}}
{{- define "gray-console.authEnv" -}}
- name: GC_AUTH
  value: {{ .Values.auth.mode | quote }}
- name: GC_SESSION_SECRET
  valueFrom:
    secretKeyRef:
      {{- include "gray-console.sessionSecretRef" . | nindent 6 }}
- name: GC_SESSION_SECONDS
  value: {{ .Values.auth.session.seconds | int | quote }}
{{- with include "gray-console.publicUrl" . }}
- name: GC_PUBLIC_URL
  value: {{ . | quote }}
{{- end }}
{{- if eq .Values.auth.mode "oidc" }}
- name: GC_OIDC_ISSUER
  value: {{ .Values.auth.oidc.issuer | quote }}
- name: GC_OIDC_CLIENT_ID
  value: {{ .Values.auth.oidc.clientId | quote }}
- name: GC_OIDC_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      {{- include "gray-console.oidcClientSecretRef" . | nindent 6 }}
- name: GC_OIDC_SCOPES
  value: {{ .Values.auth.oidc.scopes | quote }}
- name: GC_OIDC_USERNAME_CLAIM
  value: {{ .Values.auth.oidc.usernameClaim | quote }}
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
- name: GC_PROXY_SIGN_OUT_URL
  value: {{ .Values.auth.proxy.signOutUrl | quote }}
{{- end }}
{{- if include "gray-console.impersonates" . }}
- name: GC_AUTH_USER_PREFIX
  value: {{ .Values.auth.impersonation.userPrefix | quote }}
- name: GC_AUTH_GROUP_PREFIX
  value: {{ .Values.auth.impersonation.groupPrefix | quote }}
{{- end }}
{{- end }}
