module github.com/wido-dev/wido

go 1.26.0
