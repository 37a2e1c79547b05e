// Command oidc is the local OpenID Connect provider of the gray-console dev environment
// (issue 10: the sign-in tests with GC_AUTH=oidc, and oauth2-proxy in front of the console
// with GC_AUTH=proxy). It is zitadel/oidc's example OpenID Provider
// (github.com/zitadel/oidc/v3/example/server/{exampleop,storage}) with the clients and users
// taken from a JSON file instead of being hard-coded, plus what the tests need on top:
//
//   - a `groups` claim (JSON array of strings) in every ID token and userinfo response whose
//     scopes include `openid` (the `groups` scope is accepted too, but not required);
//   - profile and email claims (name, given_name, family_name, preferred_username, email,
//     email_verified) IN THE ID TOKEN when `profile` / `email` are requested, also in the
//     code flow (the example only puts them in userinfo there);
//   - token lifetimes from the config (ID token and access token default to 1 h; the
//     example's access tokens live 5 min); refresh tokens (scope offline_access) 5 h;
//   - a stable `sub` per user: the configured "sub", or a UUID derived from the username;
//   - the example's demo backdoors switched off (service user "sid1"/"verysecret" for
//     client_credentials, and the JWT-profile key whose private half is published).
//
// Usage:
//
//	oidc --config FILE [--issuer http://127.0.0.1:PORT] [--port PORT]
//	     [--id-token-lifetime 1h] [--access-token-lifetime 1h]
//
// Flags override the config file. It listens on 127.0.0.1:PORT, plain HTTP (the provider is
// created with op.WithAllowInsecure, so an http:// issuer is accepted).
//
// Config file (JSON):
//
//	{
//	  "issuer": "http://127.0.0.1:5556",
//	  "port": 5556,
//	  "id_token_lifetime": "1h",
//	  "access_token_lifetime": "1h",
//	  "clients": [
//	    {"id": "gray-console", "secret": "s3cret",
//	     "redirect_uris": ["http://127.0.0.1:3000/api/auth/callback"],
//	     "post_logout_redirect_uris": ["http://127.0.0.1:3000/"]}
//	  ],
//	  "users": [
//	    {"username": "alice", "password": "alice-pw", "email": "alice@example.test",
//	     "name": "Alice Admin", "groups": ["gc-admins", "team-a"]}
//	  ]
//	}
//
// Clients are confidential web clients: authorization code flow (with or without PKCE, S256 or
// plain), client authentication client_secret_basic or client_secret_post, refresh tokens with
// scope offline_access. http:// redirect URIs are allowed (dev mode). Users optionally carry
// "sub", "given_name", "family_name"; email_verified is always true.
//
// Endpoints (relative to the issuer):
//
//	/.well-known/openid-configuration  discovery (code_challenge_methods_supported: ["S256"])
//	/auth                              authorization endpoint (the example renames /authorize)
//	/oauth/token                       token
//	/userinfo                          userinfo
//	/keys                              JWKS (RS256; the key is generated at start-up)
//	/end_session                       RP-initiated logout (then /logged-out, or the
//	                                   registered post_logout_redirect_uri)
//	/oauth/introspect, /revoke         introspection, revocation
//	/healthz, /ready                   health
//
// THE LOGIN FORM (what browser tests fill in). /auth redirects to
// /login/username?authRequestID=<id>, which renders (exampleop/templates/login.html):
//
//	<form method="POST" action="/login/username">
//	  <input type="hidden" name="id" value="<authRequestID>">
//	  <input id="username" name="username" autocomplete="username">
//	  <input id="password" name="password" type="password" autocomplete="current-password">
//	  <p style="color:red; ...">{error, e.g. "username or password wrong"}</p>
//	  <button type="submit">Login</button>
//	</form>
//
// Selectors: input#username (name=username), input#password (name=password),
// button[type=submit] (text "Login"); the page title is "Login". A wrong password re-renders
// the form with "username or password wrong" and status 200. The user may type the username
// or the email address. There is no single-sign-on session at the provider: every
// authorization request shows the form again (so signing out of the client and in again
// always asks for the password).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"golang.org/x/text/language"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// GroupsClaim and GroupsScope: the claim is asserted whenever `openid` is in the scopes.
const (
	GroupsClaim = "groups"
	GroupsScope = "groups"
)

type duration struct{ time.Duration }

func (d *duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		d.Duration = v
		return err
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("duration must be a string like \"1h\" or a number of seconds")
	}
	d.Duration = time.Duration(secs * float64(time.Second))
	return nil
}

type clientConfig struct {
	ID                     string   `json:"id"`
	Secret                 string   `json:"secret"`
	RedirectURIs           []string `json:"redirect_uris"`
	PostLogoutRedirectURIs []string `json:"post_logout_redirect_uris"`
}

type userConfig struct {
	Sub        string   `json:"sub"`
	Username   string   `json:"username"`
	Password   string   `json:"password"`
	Email      string   `json:"email"`
	Name       string   `json:"name"`
	GivenName  string   `json:"given_name"`
	FamilyName string   `json:"family_name"`
	Groups     []string `json:"groups"`
}

type config struct {
	Issuer              string         `json:"issuer"`
	Port                int            `json:"port"`
	IDTokenLifetime     duration       `json:"id_token_lifetime"`
	AccessTokenLifetime duration       `json:"access_token_lifetime"`
	Clients             []clientConfig `json:"clients"`
	Users               []userConfig   `json:"users"`
}

func main() {
	var (
		configPath = flag.String("config", "", "JSON config file (clients, users, issuer, port, lifetimes)")
		issuerFlag = flag.String("issuer", "", "issuer URL, e.g. http://127.0.0.1:5556 (default http://127.0.0.1:PORT)")
		portFlag   = flag.Int("port", 0, "port to listen on, on 127.0.0.1 (default: the issuer's port, else 5556)")
		idTTL      = flag.Duration("id-token-lifetime", 0, "ID token lifetime (default 1h)")
		atTTL      = flag.Duration("access-token-lifetime", 0, "access token lifetime (default 1h)")
	)
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	fail := func(msg string, args ...any) {
		logger.Error(msg, args...)
		os.Exit(1)
	}

	var cfg config
	if *configPath != "" {
		data, err := os.ReadFile(*configPath)
		if err != nil {
			fail("cannot read config", "error", err)
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			fail("cannot parse config", "file", *configPath, "error", err)
		}
	}
	if *issuerFlag != "" {
		cfg.Issuer = *issuerFlag
	}
	if *portFlag != 0 {
		cfg.Port = *portFlag
	}
	if *idTTL != 0 {
		cfg.IDTokenLifetime.Duration = *idTTL
	}
	if *atTTL != 0 {
		cfg.AccessTokenLifetime.Duration = *atTTL
	}
	if cfg.IDTokenLifetime.Duration <= 0 {
		cfg.IDTokenLifetime.Duration = time.Hour
	}
	if cfg.AccessTokenLifetime.Duration <= 0 {
		cfg.AccessTokenLifetime.Duration = time.Hour
	}
	if cfg.Port == 0 && cfg.Issuer != "" {
		if u, err := url.Parse(cfg.Issuer); err == nil && u.Port() != "" {
			cfg.Port, _ = strconv.Atoi(u.Port())
		}
	}
	if cfg.Port == 0 {
		cfg.Port = 5556
	}
	if cfg.Issuer == "" {
		cfg.Issuer = fmt.Sprintf("http://127.0.0.1:%d", cfg.Port)
	}
	if len(cfg.Clients) == 0 {
		fail("no clients configured (config \"clients\")")
	}
	if len(cfg.Users) == 0 {
		fail("no users configured (config \"users\")")
	}

	users, err := newUserStore(cfg.Users)
	if err != nil {
		fail("invalid users", "error", err)
	}
	exampleClients := map[string]*storage.Client{}
	ourClients := map[string]*webClient{}
	for _, c := range cfg.Clients {
		if c.ID == "" || c.Secret == "" || len(c.RedirectURIs) == 0 {
			fail("a client needs id, secret and redirect_uris", "client", c.ID)
		}
		base := storage.WebClient(c.ID, c.Secret, c.RedirectURIs...)
		exampleClients[c.ID] = base
		ourClients[c.ID] = &webClient{Client: base, postLogout: c.PostLogoutRedirectURIs, idTTL: cfg.IDTokenLifetime.Duration}
	}

	store := &Storage{
		Storage:   storage.NewStorageWithClients(users, exampleClients),
		users:     users,
		clients:   ourClients,
		accessTTL: cfg.AccessTokenLifetime.Duration,
		tokens:    map[string]*accessToken{},
		byRefresh: map[string]string{},
	}

	// Discovery lists the groups scope and claim (the example OP keeps the library defaults).
	op.DefaultSupportedScopes = append(op.DefaultSupportedScopes, GroupsScope)
	op.DefaultSupportedClaims = append(op.DefaultSupportedClaims, GroupsClaim)
	router := exampleop.SetupServer(cfg.Issuer, store, logger, false)
	server := &http.Server{
		Addr:              net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.Port)),
		Handler:           router,
		ReadHeaderTimeout: 10 * time.Second,
	}
	ln, err := net.Listen("tcp", server.Addr)
	if err != nil {
		fail("cannot listen", "addr", server.Addr, "error", err)
	}
	ids := make([]string, 0, len(ourClients))
	for id := range ourClients {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	logger.Info("OpenID provider listening", "addr", server.Addr, "issuer", cfg.Issuer,
		"clients", ids, "users", len(cfg.Users), "id_token_lifetime", cfg.IDTokenLifetime.Duration,
		"access_token_lifetime", cfg.AccessTokenLifetime.Duration)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdownCtx)
	}()
	if err := server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fail("server terminated", "error", err)
	}
	logger.Info("stopped")
}

// ---- users ---------------------------------------------------------------------------------

type user struct {
	*storage.User
	name   string
	groups []string
}

// userStore implements storage.UserStore from the config.
type userStore struct {
	byID    map[string]*user
	ordered []*user
}

func newUserStore(list []userConfig) (*userStore, error) {
	s := &userStore{byID: map[string]*user{}}
	seen := map[string]bool{}
	for _, u := range list {
		if u.Username == "" || u.Password == "" || u.Email == "" {
			return nil, fmt.Errorf("a user needs username, password and email (got %q)", u.Username)
		}
		if seen[u.Username] {
			return nil, fmt.Errorf("duplicate username %q", u.Username)
		}
		seen[u.Username] = true
		sub := u.Sub
		if sub == "" {
			// Stable across restarts and config edits: derived from the username only.
			sub = uuid.NewSHA1(uuid.NameSpaceURL, []byte("gray-console-oidc:user:"+u.Username)).String()
		}
		if _, dup := s.byID[sub]; dup {
			return nil, fmt.Errorf("duplicate sub %q", sub)
		}
		given, family := u.GivenName, u.FamilyName
		if given == "" && family == "" && u.Name != "" {
			if i := strings.LastIndex(u.Name, " "); i > 0 {
				given, family = u.Name[:i], u.Name[i+1:]
			} else {
				given = u.Name
			}
		}
		name := u.Name
		if name == "" {
			name = strings.TrimSpace(given + " " + family)
		}
		groups := u.Groups
		if groups == nil {
			groups = []string{}
		}
		entry := &user{
			User: &storage.User{
				ID:                sub,
				Username:          u.Username,
				Password:          u.Password,
				FirstName:         given,
				LastName:          family,
				Email:             u.Email,
				EmailVerified:     true,
				PreferredLanguage: language.English,
			},
			name:   name,
			groups: groups,
		}
		s.byID[sub] = entry
		s.ordered = append(s.ordered, entry)
	}
	return s, nil
}

func (s *userStore) GetUserByID(id string) *storage.User {
	if u, ok := s.byID[id]; ok {
		return u.User
	}
	return nil
}

// GetUserByUsername is what the login form checks: the username, or else the email address.
func (s *userStore) GetUserByUsername(username string) *storage.User {
	for _, u := range s.ordered {
		if u.Username == username {
			return u.User
		}
	}
	for _, u := range s.ordered {
		if strings.EqualFold(u.Email, username) {
			return u.User
		}
	}
	return nil
}

// ExampleClientID names the example's JWT-profile service user; that grant is disabled below.
func (s *userStore) ExampleClientID() string { return storage.ServiceUserID }

// ---- clients -------------------------------------------------------------------------------

// webClient is the example's web client (client_secret_basic; client_secret_post is accepted
// too because the provider enables AuthMethodPost; dev mode, so http:// redirect URIs) with
// the claims of `profile`/`email` asserted into the ID token, the groups scope allowed,
// post-logout redirect URIs and the configured ID token lifetime.
type webClient struct {
	*storage.Client
	postLogout []string
	idTTL      time.Duration
}

func (c *webClient) PostLogoutRedirectURIs() []string     { return c.postLogout }
func (c *webClient) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *webClient) IDTokenLifetime() time.Duration       { return c.idTTL }
func (c *webClient) IsScopeAllowed(scope string) bool     { return scope == GroupsScope }

// ---- storage -------------------------------------------------------------------------------

// Storage is the example's in-memory storage (auth requests, codes, refresh tokens, signing
// key, login check) with our clients and users, the groups claim, the name from the config,
// and access tokens that live accessTTL instead of the example's fixed 5 minutes: this layer
// keeps the validity of every access token the example issues and answers userinfo and
// introspection from it.
type Storage struct {
	*storage.Storage
	users     *userStore
	clients   map[string]*webClient
	accessTTL time.Duration

	mu        sync.Mutex
	tokens    map[string]*accessToken // access token id -> validity
	byRefresh map[string]string       // refresh token -> access token id
}

type accessToken struct {
	subject, clientID string
	audience, scopes  []string
	expires           time.Time
}

var (
	_ op.Storage                   = (*Storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*Storage)(nil)
	_ op.ClientCredentialsStorage  = (*Storage)(nil)
	_ exampleop.Storage            = (*Storage)(nil)
)

func (s *Storage) GetClientByClientID(ctx context.Context, clientID string) (op.Client, error) {
	if c, ok := s.clients[clientID]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("client not found")
}

// addClaims completes what the example's setUserinfo filled in for the scopes.
func (s *Storage) addClaims(info *oidc.UserInfo, userID string, scopes []string) {
	u, ok := s.users.byID[userID]
	if !ok {
		return
	}
	if slices.Contains(scopes, oidc.ScopeOpenID) || slices.Contains(scopes, GroupsScope) {
		info.AppendClaims(GroupsClaim, slices.Clone(u.groups))
	}
	if slices.Contains(scopes, oidc.ScopeProfile) {
		info.Name = u.name
	}
}

func (s *Storage) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, req, scopes); err != nil {
		return err
	}
	s.addClaims(info, req.GetSubject(), scopes)
	return nil
}

func (s *Storage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, origin string) error {
	t, err := s.validToken(tokenID)
	if err != nil {
		return err
	}
	return s.SetUserinfoFromRequest(ctx, info, userinfoRequest{t}, t.scopes)
}

func (s *Storage) SetIntrospectionFromToken(ctx context.Context, in *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	t, err := s.validToken(tokenID)
	if err != nil {
		return err
	}
	if !slices.Contains(t.audience, clientID) {
		return fmt.Errorf("token is not valid for this client")
	}
	info := new(oidc.UserInfo)
	if err := s.SetUserinfoFromRequest(ctx, info, userinfoRequest{t}, t.scopes); err != nil {
		return err
	}
	in.SetUserInfo(info)
	in.Scope = t.scopes
	in.ClientID = t.clientID
	in.Expiration = oidc.FromTime(t.expires)
	return nil
}

func (s *Storage) validToken(id string) (*accessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[id]
	if !ok {
		return nil, fmt.Errorf("token is invalid or has expired")
	}
	if time.Now().After(t.expires) {
		delete(s.tokens, id)
		return nil, fmt.Errorf("token is expired")
	}
	return t, nil
}

func (s *Storage) remember(id, refreshToken, oldRefreshToken string, req op.TokenRequest) time.Time {
	clientID := ""
	if r, ok := req.(interface{ GetClientID() string }); ok {
		clientID = r.GetClientID()
	}
	exp := time.Now().Add(s.accessTTL)
	s.mu.Lock()
	defer s.mu.Unlock()
	if oldRefreshToken != "" {
		// the example rotates refresh tokens and drops the access token of the old one
		delete(s.tokens, s.byRefresh[oldRefreshToken])
		delete(s.byRefresh, oldRefreshToken)
	}
	s.tokens[id] = &accessToken{
		subject:  req.GetSubject(),
		clientID: clientID,
		audience: slices.Clone(req.GetAudience()),
		scopes:   slices.Clone(req.GetScopes()),
		expires:  exp,
	}
	if refreshToken != "" {
		s.byRefresh[refreshToken] = id
	}
	return exp
}

func (s *Storage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	id, _, err := s.Storage.CreateAccessToken(ctx, req)
	if err != nil {
		return "", time.Time{}, err
	}
	return id, s.remember(id, "", "", req), nil
}

func (s *Storage) CreateAccessAndRefreshTokens(ctx context.Context, req op.TokenRequest, currentRefreshToken string) (string, string, time.Time, error) {
	id, refresh, _, err := s.Storage.CreateAccessAndRefreshTokens(ctx, req, currentRefreshToken)
	if err != nil {
		return "", "", time.Time{}, err
	}
	return id, refresh, s.remember(id, refresh, currentRefreshToken, req), nil
}

func (s *Storage) RevokeToken(ctx context.Context, tokenIDOrToken, userID, clientID string) *oidc.Error {
	s.mu.Lock()
	if t, ok := s.tokens[tokenIDOrToken]; ok && t.clientID != clientID {
		s.mu.Unlock()
		return oidc.ErrInvalidClient().WithDescription("token was not issued for this client")
	}
	s.mu.Unlock()
	if err := s.Storage.RevokeToken(ctx, tokenIDOrToken, userID, clientID); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, tokenIDOrToken)
	if id, ok := s.byRefresh[tokenIDOrToken]; ok {
		delete(s.tokens, id)
		delete(s.byRefresh, tokenIDOrToken)
	}
	return nil
}

func (s *Storage) TerminateSession(ctx context.Context, userID, clientID string) error {
	s.mu.Lock()
	for id, t := range s.tokens {
		if t.subject == userID && t.clientID == clientID {
			delete(s.tokens, id)
		}
	}
	for r, id := range s.byRefresh {
		if _, ok := s.tokens[id]; !ok {
			delete(s.byRefresh, r)
		}
	}
	s.mu.Unlock()
	return s.Storage.TerminateSession(ctx, userID, clientID)
}

// The example's demo service user (client_credentials with a published secret) and its
// JWT-profile key (private half published in the example) are not for a shared dev machine.
func (s *Storage) ClientCredentials(ctx context.Context, clientID, clientSecret string) (op.Client, error) {
	return nil, errors.New("client_credentials is not enabled")
}

func (s *Storage) GetKeyByIDAndClientID(ctx context.Context, keyID, clientID string) (*jose.JSONWebKey, error) {
	return nil, errors.New("JWT profile is not enabled")
}

// userinfoRequest gives the example's SetUserinfoFromRequest the subject and client of a token.
type userinfoRequest struct{ t *accessToken }

func (r userinfoRequest) GetAMR() []string       { return nil }
func (r userinfoRequest) GetAudience() []string  { return r.t.audience }
func (r userinfoRequest) GetAuthTime() time.Time { return time.Time{} }
func (r userinfoRequest) GetClientID() string    { return r.t.clientID }
func (r userinfoRequest) GetScopes() []string    { return r.t.scopes }
func (r userinfoRequest) GetSubject() string     { return r.t.subject }
