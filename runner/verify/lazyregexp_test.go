package verify

import (
	"sync"
	"testing"
)

// TestLazyRegexps compiles every expression verify compiles at first use
// (a typo would otherwise panic only in the run that needs it), each with
// a line it must match, from several goroutines at once (go test -race).
func TestLazyRegexps(t *testing.T) {
	tests := []struct {
		name string
		re   lazyRegexp
		text string
	}{
		{"reAddrNotAvail", reAddrNotAvail, "OSError: [Errno 99] Cannot assign requested address"},
		{"reAddrInUse", reAddrInUse, "bind: address already in use"},
		{"reRefused", reRefused, "Error: connect ECONNREFUSED 127.0.0.1:9000"},
		{"reDecode", reDecode, "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe4"},
		{"reGBKDecode", reGBKDecode, "UnicodeDecodeError: 'gbk' codec can't decode byte 0xad"},
		{"reBytesPrinted", reBytesPrinted, "b'hello'"},
		{"reNodeSend", reNodeSend, "sock.send (msg, port)"},
		{"reNodeClose", reNodeClose, "sock.close()"},
		{"reStartMissing", reStartMissing, "exec: \"pyhton3\": executable file not found in $PATH"},
		{"reStartDenied", reStartDenied, "fork/exec ./a.out: Permission denied"},
		{"reStartFormat", reStartFormat, "fork/exec ./a.out: exec format error"},
		{"reTupleAddr", reTupleAddr, "('127.0.0.1', 40123)"},
	}
	var wg sync.WaitGroup
	for range 4 {
		for _, tt := range tests {
			wg.Go(func() {
				if !tt.re.MatchString(tt.text) || !tt.re.Match([]byte(tt.text)) {
					t.Errorf("%s does not match %q", tt.name, tt.text)
				}
			})
		}
	}
	wg.Wait()
}
