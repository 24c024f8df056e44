package sockettest

import (
	"io"
	"os"
	"testing"

	"github.com/gopacket/gopacket/pcapgo"
)

// PcapPackets is every packet's bytes in the pcap file at path, in order,
// as Wireshark would read them.
func PcapPackets(t testing.TB, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
}
