//go:build !wasip1

package guest

import (
	"reflect"
	"testing"
)

func TestRegisterAndLog(t *testing.T) {
	Register(echoFactory)
	t.Cleanup(func() { Register(nil); logSink = nil })
	if current.factory == nil {
		t.Fatal("Register did not set the factory")
	}
	var got []string
	logSink = func(l Level, msg string) { got = append(got, msg) }
	Log(LevelWarn, "careful")
	if !reflect.DeepEqual(got, []string{"careful"}) {
		t.Errorf("logged %v", got)
	}
}
