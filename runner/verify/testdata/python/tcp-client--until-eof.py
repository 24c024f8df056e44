# Wrong: waits for the end of the stream, which the server sends only
# after the client has closed.
import socket
import sys

line = input()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.sendall(line.encode("utf-8"))
reply = b""
while True:
    chunk = s.recv(1024)
    if not chunk:
        break
    reply += chunk
print(reply.decode("utf-8"))
s.close()
