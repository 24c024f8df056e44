# Wrong: listens at the right port on another loopback address,
# 127.0.0.2, where verify (connecting to HOST, 127.0.0.1) does not reach it.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.2", int(sys.argv[2])))
s.listen(16)
while True:
    c, _ = s.accept()
    while True:
        data = c.recv(1024)
        if not data:
            break
        c.sendall(data)
    c.close()
