# Wrong: prints a banner line before the one line the contract wants.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
print("等待接收数据……")
data, (ip, port) = s.recvfrom(1024)
print("%s:%d %s" % (ip, port, data.decode("utf-8")))
s.close()
