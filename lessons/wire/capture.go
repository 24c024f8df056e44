package wire

import (
	"errors"
	"io"
	"time"
)

// ErrUnavailable is returned by Open when this system or this process
// cannot capture packets: not Linux, or no CAP_NET_RAW.
var ErrUnavailable = errors.New("capturing packets is not available here")

// ErrNoPrivilege is returned by Open (wrapping ErrUnavailable) when the
// process lacks CAP_NET_RAW, which an AF_PACKET socket needs (packet(7)).
var ErrNoPrivilege = errors.New("capturing packets needs CAP_NET_RAW (root, or `sudo setcap cap_net_raw+ep BINARY`)")

// Options configure a Capture.
type Options struct {
	// Snap is how many bytes of each packet are kept; 0 keeps whole
	// packets (262144 bytes at most, as libpcap does). Headers need 128.
	Snap int
	// Pcap, when set, receives every kept packet in pcap format
	// (Ethernet link type), for tcpdump -r or Wireshark. Close flushes it.
	Pcap io.Writer
	// PcapFull is how many bytes of whole packets the pcap file takes
	// (DefaultPcapFull when 0); past it, packets are kept and written
	// with their first HeaderSnap bytes only, so a throughput experiment
	// does not write gigabytes.
	PcapFull int64
	// Share, when set, writes the kept packets into Share's pcap file,
	// if it has one, instead of Pcap: a capture in another network
	// namespace adds its packets to the session's file. Its packets are
	// then kept whole while the file takes whole packets.
	Share *Capture
}

// DefaultPcapFull bounds the whole packets a pcap file holds.
const DefaultPcapFull = 32 << 20

// HeaderSnap is enough for the Ethernet, IP and TCP headers with options.
const HeaderSnap = 128

// DefaultWait bounds Drain: loopback hands a packet to the capture socket
// as it is sent, so the marker normally arrives within microseconds.
const DefaultWait = 200 * time.Millisecond

// maxSnap is libpcap's MAXIMUM_SNAPLEN.
const maxSnap = 262144

// Stats are a capture socket's counters since it opened (packet(7),
// PACKET_STATISTICS): packets the filter kept (the dropped ones included,
// as the kernel counts them), and of those, how many were dropped because
// the socket's receive buffer was full.
type Stats struct {
	Packets uint64
	Drops   uint64
}

// maxPending bounds the packets held between two drains: a step that
// moves a gigabyte keeps the first ones and counts the rest.
const maxPending = 1024

// maxNotable bounds the notable packets (Packet.Notable) kept past
// maxPending: an RST after a thousand data segments is still shown.
const maxNotable = 256

// Batch is what Drain returns: the packets kept since the previous Drain,
// in the order they left, and how many more were captured but not kept.
type Batch struct {
	Packets []Packet
	// Skipped counts packets past maxPending that were not kept (still
	// in the pcap file).
	Skipped int
	// Bytes is the payload of all packets of the batch, skipped included.
	Bytes int64
	// Complete is false when Drain's wait ended before its marker came
	// back: packets may follow in the next batch.
	Complete bool
	// Retransmits counts the TCP segments of the batch, skipped included,
	// that carried sequence space already sent.
	Retransmits int
	// Dropped counts the packets the kernel dropped since the previous
	// Drain because the capture's buffer was full (PACKET_STATISTICS):
	// they crossed loopback but are in no batch and no pcap file.
	Dropped int
}
