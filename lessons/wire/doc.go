// Package wire captures the packets a lesson's calls put on loopback, so
// that each step can show the real segments beside the calls that caused
// them: the handshake inside connect, the data and its ACK, the FINs of a
// close, the RST of a refused connect, the ICMP port unreachable behind
// UDP's ECONNREFUSED.
//
// On Linux a Capture is an AF_PACKET socket bound to the loopback device
// (packet(7)); it needs CAP_NET_RAW. A classic BPF program attached to the
// socket (socket(7) SO_ATTACH_FILTER) keeps, in the kernel, only the
// lesson's ports and only the outgoing copy of each packet: loopback hands
// every packet to a packet socket twice, once as it leaves (PACKET_OUTGOING)
// and once as it arrives (PACKET_HOST).
//
// Packets are decoded with gopacket's layers and written, when asked, to a
// pcap file with pcapgo; both are pure Go. Elsewhere than on Linux, Open
// says that capture is unavailable and the lesson draws its timeline from
// the calls instead.
package wire
