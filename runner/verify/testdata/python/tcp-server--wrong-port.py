# Wrong: listens on a port of its own (0: the kernel picks one) instead of PORT.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 0))
s.listen(128)
while True:
    c, addr = s.accept()
    while True:
        data = c.recv(1024)
        if not data:
            break
        c.sendall(data)
    c.close()
