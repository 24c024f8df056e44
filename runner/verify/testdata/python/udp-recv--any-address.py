# A correct udp-recv that binds the any-address, as the notes do.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", int(sys.argv[2])))
data, (ip, port) = s.recvfrom(1024)
print("%s:%d %s" % (ip, port, data.decode("utf-8")))
s.close()
