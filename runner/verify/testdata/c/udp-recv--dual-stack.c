/* A correct udp-recv in C on a dual-stack socket bound to "::" (IPV6_V6ONLY
   off, ipv6(7)): the IPv4 sender arrives as ::ffff:127.0.0.1, which
   inet_ntop prints so. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) return 1;
    int fd = socket(AF_INET6, SOCK_DGRAM, 0);
    int off = 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    struct sockaddr_in6 a = {0};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_any;
    a.sin6_port = htons(atoi(argv[2]));
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); return 1; }
    char buf[2048], ip[INET6_ADDRSTRLEN];
    struct sockaddr_in6 from;
    socklen_t len = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &len);
    if (n < 0) { perror("recvfrom"); return 1; }
    buf[n] = 0;
    inet_ntop(AF_INET6, &from.sin6_addr, ip, sizeof ip);
    printf("%s:%d %s\n", ip, ntohs(from.sin6_port), buf);
    close(fd);
    return 0;
}
