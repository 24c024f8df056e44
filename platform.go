package main

// kernelOK says, when this system cannot run lessons (Windows), that
// they need a Linux or macOS kernel and how to get one.
func (c *cli) kernelOK(command string) bool {
	if unixKernel && !forceNoKernel {
		return true
	}
	c.fail("cli.needs-unix", command)
	return false
}

// forceNoKernel lets a test see the Windows answer on Linux.
var forceNoKernel = false
