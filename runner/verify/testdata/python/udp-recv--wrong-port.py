# Wrong: binds a port of its own (0: the kernel picks one) instead of PORT.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 0))
data, (ip, port) = s.recvfrom(1024)
print("%s:%d %s" % (ip, port, data.decode("utf-8")))
s.close()
