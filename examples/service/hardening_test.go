package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestHTTPServerLimits: the deployable server has every timeout and a
// header bound (the zero http.Server has none: a slow client holds a
// connection for ever).
func TestHTTPServerLimits(t *testing.T) {
	hs := newHTTPServer("localhost:0", http.NewServeMux())
	require.Equal(t, 5*time.Second, hs.ReadHeaderTimeout)
	require.Equal(t, 15*time.Second, hs.ReadTimeout)
	require.Equal(t, 20*time.Second, hs.WriteTimeout)
	require.Equal(t, 60*time.Second, hs.IdleTimeout)
	require.Equal(t, 16<<10, hs.MaxHeaderBytes)
}

// TestHandlerTimeout: a handler past handlerTimeout answers 503 (checked
// on a stand-in handler with a short timeout, the same wrapping).
func TestHandlerTimeout(t *testing.T) {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	hs := newHTTPServer("", slow)
	require.IsType(t, http.TimeoutHandler(slow, time.Second, ""), hs.Handler)
}

func (s *testService) do(t *testing.T, method, path string, body []byte, header map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, out
}

func TestBodyLimits(t *testing.T) {
	s := newTestService(t, nil)
	big := []byte(`{"customer":{"x":"` + strings.Repeat("a", maxBody) + `"}}`)
	code, _, body := s.do(t, http.MethodPost, "/score", big, nil)
	require.Equal(t, http.StatusRequestEntityTooLarge, code, string(body))
	require.Contains(t, string(body), "larger than 1048576 bytes")
	// The 900 KB note of issue 14 is far over /review's 16 KB.
	note := []byte(`{"decision":1,"reviewer":"a","outcome":"approve","note":"` + strings.Repeat("n", 900<<10) + `"}`)
	code, _, body = s.do(t, http.MethodPost, "/review", note, map[string]string{"Authorization": "Bearer " + testToken})
	require.Equal(t, http.StatusRequestEntityTooLarge, code, string(body))
	require.Contains(t, string(body), "larger than 16384 bytes")
}

func TestReviewNeedsToken(t *testing.T) {
	s := newTestService(t, nil)
	code, body := s.post(t, "/score", map[string]any{"customer": customer(t, 0), "consents": allConsents})
	require.Equal(t, http.StatusOK, code, string(body))
	review := []byte(`{"decision":1,"reviewer":"analyst-3","outcome":"approve"}`)
	for _, h := range []map[string]string{nil, {"Authorization": "Bearer wrong"}, {"Authorization": testToken},
		{"Authorization": "Basic " + testToken}, {"Authorization": "Bearer " + testToken + "x"}} {
		code, hdr, body := s.do(t, http.MethodPost, "/review", review, h)
		require.Equal(t, http.StatusUnauthorized, code, "%v: %s", h, body)
		require.Equal(t, `Bearer realm="candor review"`, hdr.Get("WWW-Authenticate"))
	}
	es, _ := s.verify(t)
	require.Len(t, es, 1, "no review was logged")
	code, _, body = s.do(t, http.MethodPost, "/review", review, map[string]string{"Authorization": "Bearer " + testToken})
	require.Equal(t, http.StatusOK, code, string(body))
	require.JSONEq(t, `{"review":2,"decision":1}`, string(body))

	// A service started without a token takes no reviews at all.
	s.srv.reviewToken = ""
	code, _, body = s.do(t, http.MethodPost, "/review", review, map[string]string{"Authorization": "Bearer "})
	require.Equal(t, http.StatusForbidden, code, string(body))
	require.Contains(t, string(body), reviewTokenEnv)
}

func TestReviewNoteBounded(t *testing.T) {
	s := newTestService(t, nil)
	code, body := s.post(t, "/score", map[string]any{"customer": customer(t, 0), "consents": allConsents})
	require.Equal(t, http.StatusOK, code, string(body))
	code, body = s.post(t, "/review", map[string]any{"decision": 1, "reviewer": "a", "outcome": "approve", "note": strings.Repeat("n", maxNote+1)})
	require.Equal(t, http.StatusBadRequest, code)
	var e apiError
	require.NoError(t, json.Unmarshal(body, &e))
	require.Equal(t, "note", e.Field)
	require.Contains(t, e.Error, "at most 2000 bytes (it has 2001)")
	code, body = s.post(t, "/review", map[string]any{"decision": 1, "reviewer": strings.Repeat("r", maxReviewer+1), "outcome": "approve"})
	require.Equal(t, http.StatusBadRequest, code)
	require.NoError(t, json.Unmarshal(body, &e))
	require.Equal(t, "reviewer", e.Field)
	code, body = s.post(t, "/review", map[string]any{"decision": 1, "reviewer": "a", "outcome": "approve", "note": strings.Repeat("n", maxNote)})
	require.Equal(t, http.StatusOK, code, string(body))
	es, _ := s.verify(t)
	require.Len(t, es[1].Review.Note, maxNote)
}

func TestHealthz(t *testing.T) {
	s := newTestService(t, nil)
	code, _, body := s.do(t, http.MethodGet, "/healthz", nil, nil)
	require.Equal(t, http.StatusOK, code)
	m := sharedModel(t)
	require.JSONEq(t, `{"status":"ok","model":"`+m.Name()+`","model_fingerprint":"`+m.Fingerprint()+`"}`, string(body))
	code, hdr, _ := s.do(t, http.MethodPost, "/healthz", nil, nil)
	require.Equal(t, http.StatusMethodNotAllowed, code)
	require.Equal(t, "GET, HEAD", hdr.Get("Allow"))
}

// TestGracefulShutdown: a request in flight when the service is told to
// stop is answered in full, new connections are refused, and serve returns
// only after the answer (so that main closes the log after the last append).
func TestGracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		writeJSON(w, http.StatusOK, map[string]string{"done": "yes"})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(ctx, newHTTPServer("", h), ln, 5*time.Second) }()
	type answer struct {
		code int
		body string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- answer{resp.StatusCode, string(b), err}
	}()
	<-started
	cancel()
	select {
	case err := <-served:
		t.Fatalf("serve returned %v with a request in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	a := <-got
	require.NoError(t, a.err)
	require.Equal(t, http.StatusOK, a.code)
	require.JSONEq(t, `{"done":"yes"}`, a.body)
	require.NoError(t, <-served)
	_, err = net.DialTimeout("tcp", ln.Addr().String(), time.Second)
	require.Error(t, err, "the listener is closed")
}
