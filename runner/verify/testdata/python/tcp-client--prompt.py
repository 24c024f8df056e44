# A correct tcp-client as the study notes write it: input() prints its
# prompt on standard output, before the reply and on the same line.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
data = input("请输入要发送的数据：")
s.send(data.encode("utf-8"))
print(s.recv(1024).decode("utf-8"))
s.close()
