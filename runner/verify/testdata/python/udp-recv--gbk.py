# Wrong: the datagram is UTF-8, decoded as GBK: it prints 乱码.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
data, (ip, port) = s.recvfrom(1024)
print("%s:%d %s" % (ip, port, data.decode("gbk")))
s.close()
