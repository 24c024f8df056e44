package proc

import "sync"

// DefaultCap is how much of each output stream is kept. A program that
// floods its output must not grow verify's memory or stall it: the excess is
// read and thrown away, so the program never blocks on a full pipe.
const DefaultCap = 64 << 10

// tailSize is how much of the end of a stream is kept apart from the head,
// so that the last lines of a crash report survive a flood before it.
const tailSize = 4 << 10

// CapBuffer is an io.Writer that keeps the first max bytes written to it and
// the last few kilobytes, counting the rest. It is safe for concurrent use.
type CapBuffer struct {
	mu    sync.Mutex
	max   int
	head  []byte
	tail  []byte // ring of the last tailSize bytes
	total int64
}

// NewCapBuffer returns a buffer that keeps at most max bytes of the start.
func NewCapBuffer(max int) *CapBuffer {
	if max <= 0 {
		max = DefaultCap
	}
	return &CapBuffer{max: max}
}

// Write keeps what fits and always reports success, so the copying
// goroutine of os/exec keeps draining the pipe.
func (b *CapBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.total += int64(len(p))
	if room := b.max - len(b.head); room > 0 {
		n := min(room, len(p))
		b.head = append(b.head, p[:n]...)
	}
	b.tail = append(b.tail, p...)
	if len(b.tail) > tailSize {
		b.tail = append(b.tail[:0], b.tail[len(b.tail)-tailSize:]...)
	}
	return len(p), nil
}

// Bytes returns a copy of the kept start of the stream.
func (b *CapBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.head...)
}

// Tail returns a copy of the last bytes written (up to 4 KiB).
func (b *CapBuffer) Tail() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.tail...)
}

// Total reports how many bytes were written, kept or not.
func (b *CapBuffer) Total() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.total
}

// Truncated reports whether some of the stream was thrown away.
func (b *CapBuffer) Truncated() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.total > int64(len(b.head))
}
