# A correct udp-recv bound to "::" with IPv4 allowed too (dual-stack, as the
# exercise text offers): Python reports the IPv4 sender in its IPv4-mapped
# form, ::ffff:127.0.0.1, and prints it so.
import socket
import sys

s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[2])))
data, addr = s.recvfrom(1024)
print("%s:%d %s" % (addr[0], addr[1], data.decode("utf-8")))
s.close()
