# Wrong: closes its listening socket inside the loop, after the first
# client, then calls accept on it again.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(128)
while True:
    c, addr = s.accept()
    while True:
        data = c.recv(1024)
        if not data:
            break
        c.send(data)
    c.close()
    s.close()
