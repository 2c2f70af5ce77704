package actuation_test

import (
	"fmt"
	"time"

	"github.com/wido-dev/wido/abi/actuator"
	"github.com/wido-dev/wido/operator/actuation"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
)

// The guard chain is pure: it can be evaluated on what was read of the
// target, without a cluster.
func ExampleChain_Evaluate() {
	maxReplicas := int32(10)
	intent := &widov1.Intent{}
	intent.Namespace = "default"
	intent.Spec.TargetRef = widov1.TargetRef{Kind: widov1.Deployment, Name: "frontend"}
	intent.Spec.Bounds.MaxReplicas = &maxReplicas

	in := actuation.Input{
		Intent: intent,
		Target: actuation.TargetState{Kind: widov1.Deployment, Namespace: "default", Name: "frontend", Exists: true, Replicas: 4},
		Ops:    []actuator.Operation{{Kind: actuator.Scale, Replicas: 12}},
		Now:    time.Now(),
	}
	reason, message, blocked := actuation.DefaultChain().Evaluate(in)
	fmt.Println(blocked, reason)
	fmt.Println(message)
	// Output:
	// true OutOfBounds
	// operation 1 (Scale): scale to 12 replicas exceeds maxReplicas 10
}
