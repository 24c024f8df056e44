# Wrong: reads the file as text, which fails on bytes that are not UTF-8.
import socket
import struct
import sys

data = sys.stdin.read().encode("utf-8")
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.sendall(struct.pack("!I", len(data)) + data)
print(s.recv(1024).decode("utf-8"), end="")
s.close()
