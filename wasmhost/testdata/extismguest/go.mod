module example.com/extismguest

go 1.26.0

require (
	github.com/extism/go-pdk v1.0.6
	github.com/wido-dev/wido v0.0.0
)

replace github.com/wido-dev/wido => ../../..
