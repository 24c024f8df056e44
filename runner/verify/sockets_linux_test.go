package verify

import "testing"

func TestParseProcAddr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0100007F:1E6C", "127.0.0.1:7788"},
		{"00000000:0035", "0.0.0.0:53"},
		{"00000000000000000000000001000000:1F90", "[::1]:8080"},
	}
	for _, tt := range tests {
		ap, ok := parseProcAddr(tt.in)
		if !ok || ap.String() != tt.want {
			t.Errorf("parseProcAddr(%s) = %v, %v; want %s", tt.in, ap, ok, tt.want)
		}
	}
	if _, ok := parseProcAddr("zz:1"); ok {
		t.Error("garbage parsed")
	}
}
