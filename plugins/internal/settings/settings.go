// Package settings reads an actuator's configuration: a map of text values
// (as a Wasm actuator's describe call receives it) into the fields of the
// actuator's Config. It uses strconv, not encoding/json, so guests stay
// small.
package settings

import (
	"errors"
	"sort"
	"strconv"
	"strings"
)

// Field binds a configuration key to a Config field.
type Field struct {
	key string
	set func(string) error
}

// Int binds key to an integer.
func Int(key string, dst *int) Field {
	return Field{key, func(s string) error {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return errors.New("not an integer: " + strconv.Quote(s))
		}
		*dst = v
		return nil
	}}
}

// Int64 binds key to a 64-bit integer.
func Int64(key string, dst *int64) Field {
	return Field{key, func(s string) error {
		v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return errors.New("not an integer: " + strconv.Quote(s))
		}
		*dst = v
		return nil
	}}
}

// Float binds key to a finite number.
func Float(key string, dst *float64) Field {
	return Field{key, func(s string) error {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || v != v || v > 1e308 || v < -1e308 {
			return errors.New("not a finite number: " + strconv.Quote(s))
		}
		*dst = v
		return nil
	}}
}

// String binds key to a text value.
func String(key string, dst *string) Field {
	return Field{key, func(s string) error { *dst = s; return nil }}
}

// Apply sets the bound fields from config, in sorted key order; fields whose
// key is absent keep their value.
//
// # Errors
//
// A key no field binds (the message lists the known keys) or a value its
// field cannot take, naming the key.
func Apply(config map[string]string, fields ...Field) error {
	keys := make([]string, 0, len(config))
	for k := range config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f, ok := find(fields, k)
		if !ok {
			known := make([]string, len(fields))
			for i, f := range fields {
				known[i] = f.key
			}
			sort.Strings(known)
			return errors.New("unknown configuration key " + strconv.Quote(k) + " (known: " + strings.Join(known, ", ") + ")")
		}
		if err := f.set(config[k]); err != nil {
			return errors.New(k + ": " + err.Error())
		}
	}
	return nil
}

func find(fields []Field, key string) (Field, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return Field{}, false
}
