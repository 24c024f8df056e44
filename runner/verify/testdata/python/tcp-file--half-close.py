# A correct tcp-file that half-closes after the upload and reads the
# answer until the server closes.
import socket
import struct
import sys

data = sys.stdin.buffer.read()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.sendall(struct.pack("!I", len(data)) + data)
s.shutdown(socket.SHUT_WR)
reply = b""
while True:
    chunk = s.recv(1024)
    if not chunk:
        break
    reply += chunk
sys.stdout.write(reply.decode())
s.close()
