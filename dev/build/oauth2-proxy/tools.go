//go:build tools

package tools

import _ "github.com/oauth2-proxy/oauth2-proxy/v7"
