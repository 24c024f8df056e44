# Wrong: binds the right port on another loopback address, 127.0.0.2,
# where verify's datagram to HOST (127.0.0.1) does not arrive.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.2", int(sys.argv[2])))
data, (ip, port) = s.recvfrom(1024)
print("%s:%d %s" % (ip, port, data.decode("utf-8")))
