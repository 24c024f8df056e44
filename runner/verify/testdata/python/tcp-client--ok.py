# A correct tcp-client.
import socket
import sys

line = sys.stdin.readline().rstrip("\n")
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.sendall(line.encode("utf-8"))
print(s.recv(1024).decode("utf-8"))
s.close()
