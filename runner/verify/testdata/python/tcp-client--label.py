# Wrong: a label printed with the reply, on the same line.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(sys.stdin.readline().rstrip("\n").encode("utf-8"))
print("收到服务器的回复：", s.recv(1024).decode("utf-8"))
s.close()
