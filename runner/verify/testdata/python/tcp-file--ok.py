# A correct tcp-file.
import socket
import struct
import sys

data = sys.stdin.buffer.read()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.sendall(struct.pack("!I", len(data)) + data)
reply = b""
while not reply.endswith(b"\n"):
    chunk = s.recv(1024)
    if not chunk:
        break
    reply += chunk
print(reply.decode("utf-8"), end="")
s.close()
