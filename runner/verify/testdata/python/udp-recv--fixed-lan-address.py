# Wrong, as in the notes: binds a LAN address this machine does not own.
# (This test program only raises the error bind would give, so that no test
# ever touches an address other than loopback.)
import errno
import os
import sys

raise OSError(errno.EADDRNOTAVAIL, os.strerror(errno.EADDRNOTAVAIL))
