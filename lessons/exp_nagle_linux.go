package lessons

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// setCork sets or clears TCP_CORK (tcp(7), Linux only).
func setCork(fd int, on bool) error {
	v := 0
	if on {
		v = 1
	}
	return os.NewSyscallError("setsockopt(TCP_CORK)", unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_CORK, v))
}

// dataSegsOut is the data segments fd has sent (TCP_INFO
// tcpi_data_segs_out, Linux 4.6), -1 if unknown.
func dataSegsOut(fd int) int {
	info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		return -1
	}
	return int(info.Data_segs_out)
}

// ackTimeout is fd's delayed-ACK timeout (TCP_INFO tcpi_ato), 0 if
// unknown.
func ackTimeout(fd int) time.Duration {
	info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		return 0
	}
	return time.Duration(info.Ato) * time.Microsecond
}
