# A correct tcp-server bound to the IPv6 any-address, dual-stack: it
# accepts verify's IPv4 clients too.
import socket
import sys

s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[2])))
s.listen(128)
while True:
    c, addr = s.accept()
    while True:
        data = c.recv(1024)
        if not data:
            break
        c.sendall(data)
    c.close()
