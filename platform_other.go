//go:build !windows

package main

// unixKernel: lessons and verify make their system calls here.
const unixKernel = true
