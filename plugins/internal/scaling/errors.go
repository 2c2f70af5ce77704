package scaling

import "strconv"

// itoa is strconv.Itoa, named short for error messages built without fmt.
func itoa(i int) string { return strconv.Itoa(i) }

// Itoa formats i for error messages; the plugins do not link fmt.
func Itoa(i int64) string { return strconv.FormatInt(i, 10) }

// Ftoa formats f for error messages.
func Ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
