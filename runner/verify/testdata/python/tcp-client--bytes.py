# Wrong: prints the reply as bytes.
import socket
import sys

line = input()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(line.encode("utf-8"))
print(s.recv(1024))
s.close()
