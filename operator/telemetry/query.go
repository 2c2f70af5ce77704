package telemetry

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"text/template"
)

// Target is the workload a query is rendered for.
type Target struct {
	Namespace, Name string
	// Kind is the workload's kind, e.g. Deployment.
	Kind string
}

// RenderQuery renders a KPIProfile query for t. The query is a Go template
// over .Namespace, .Name and .Kind (and .KindLabel, the kind in lower case
// as Linkerd and kube-state-metrics label it, e.g. deployment). IDO's
// printf-style queries are accepted too: with two %s they are filled with
// namespace and name; with four, as IDO's default profiles are written
// (namespace, kind label, name, kind label).
//
// # Errors
//
// An empty query, a template that does not parse or execute, or a number
// of %s placeholders other than 2 or 4.
func RenderQuery(query string, t Target) (string, error) {
	if strings.TrimSpace(query) == "" {
		return "", errors.New("telemetry: empty query")
	}
	label := strings.ToLower(t.Kind)
	if strings.Contains(query, "{{") {
		tmpl, err := template.New("query").Option("missingkey=error").Parse(query)
		if err != nil {
			return "", fmt.Errorf("telemetry: query template: %w", err)
		}
		var b bytes.Buffer
		data := struct{ Namespace, Name, Kind, KindLabel string }{t.Namespace, t.Name, t.Kind, label}
		if err := tmpl.Execute(&b, data); err != nil {
			return "", fmt.Errorf("telemetry: query template: %w", err)
		}
		return b.String(), nil
	}
	switch n := strings.Count(query, "%s"); n {
	case 0:
		return query, nil
	case 2:
		return fmt.Sprintf(query, t.Namespace, t.Name), nil
	case 4:
		return fmt.Sprintf(query, t.Namespace, label, t.Name, label), nil
	default:
		return "", fmt.Errorf("telemetry: query has %d %%s placeholders; IDO-style queries take 2 (namespace, name) or 4 (namespace, kind, name, kind)", n)
	}
}
