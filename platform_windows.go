package main

// unixKernel is false on Windows: the lessons' system calls (and verify's
// view of sockets through /proc) need a Linux or macOS kernel. show, list,
// exercises, steps, lint and progress work; run, verify and classroom say
// how to get a Linux kernel in a minute (WSL 2).
const unixKernel = false
