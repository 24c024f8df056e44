# A correct tcp-file: print adds its own newline to the reply's "\n", and
# one empty line at the end is tolerated.
import socket
import struct
import sys

data = sys.stdin.buffer.read()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.sendall(struct.pack("!I", len(data)) + data)
print(s.recv(1024).decode())
s.close()
