# Wrong: the reply is UTF-8, decoded as GBK (the whole message arrives in
# one recv; the codec is the mistake).
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(sys.stdin.readline().rstrip("\n").encode("utf-8"))
print(s.recv(1024).decode("gbk"))
s.close()
