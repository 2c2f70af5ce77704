package actuation

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	appsv1ac "k8s.io/client-go/applyconfigurations/apps/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
)

// workload gives uniform access to the three kinds wido acts on.
type workload struct {
	obj client.Object
	// parts returns the workload's spec.replicas, selector and pod template
	// (views into obj).
	parts func() (*int32, *metav1.LabelSelector, *corev1.PodTemplateSpec)
	// extract returns the apply configuration of the fields fieldManager
	// owns in obj, and its pod template (created when absent).
	extract func(fieldManager string) (runtime.ApplyConfiguration, *corev1ac.PodTemplateSpecApplyConfiguration, error)
}

// newWorkload returns an empty workload of kind k named namespace/name, or
// false when wido does not act on that kind.
func newWorkload(k widov1.TargetKind, namespace, name string) (workload, bool) {
	meta := metav1.ObjectMeta{Namespace: namespace, Name: name}
	switch k {
	case widov1.Deployment:
		d := &appsv1.Deployment{ObjectMeta: meta}
		return workload{
			obj: d,
			parts: func() (*int32, *metav1.LabelSelector, *corev1.PodTemplateSpec) {
				return d.Spec.Replicas, d.Spec.Selector, &d.Spec.Template
			},
			extract: func(fm string) (runtime.ApplyConfiguration, *corev1ac.PodTemplateSpecApplyConfiguration, error) {
				ac, err := appsv1ac.ExtractDeployment(d, fm)
				if err != nil {
					return nil, nil, err
				}
				if ac.Spec == nil {
					ac.WithSpec(appsv1ac.DeploymentSpec())
				}
				if ac.Spec.Template == nil {
					ac.Spec.WithTemplate(corev1ac.PodTemplateSpec())
				}
				return ac, ac.Spec.Template, nil
			},
		}, true
	case widov1.StatefulSet:
		s := &appsv1.StatefulSet{ObjectMeta: meta}
		return workload{
			obj: s,
			parts: func() (*int32, *metav1.LabelSelector, *corev1.PodTemplateSpec) {
				return s.Spec.Replicas, s.Spec.Selector, &s.Spec.Template
			},
			extract: func(fm string) (runtime.ApplyConfiguration, *corev1ac.PodTemplateSpecApplyConfiguration, error) {
				ac, err := appsv1ac.ExtractStatefulSet(s, fm)
				if err != nil {
					return nil, nil, err
				}
				if ac.Spec == nil {
					ac.WithSpec(appsv1ac.StatefulSetSpec())
				}
				if ac.Spec.Template == nil {
					ac.Spec.WithTemplate(corev1ac.PodTemplateSpec())
				}
				return ac, ac.Spec.Template, nil
			},
		}, true
	case widov1.ReplicaSet:
		r := &appsv1.ReplicaSet{ObjectMeta: meta}
		return workload{
			obj: r,
			parts: func() (*int32, *metav1.LabelSelector, *corev1.PodTemplateSpec) {
				return r.Spec.Replicas, r.Spec.Selector, &r.Spec.Template
			},
			extract: func(fm string) (runtime.ApplyConfiguration, *corev1ac.PodTemplateSpecApplyConfiguration, error) {
				ac, err := appsv1ac.ExtractReplicaSet(r, fm)
				if err != nil {
					return nil, nil, err
				}
				if ac.Spec == nil {
					ac.WithSpec(appsv1ac.ReplicaSetSpec())
				}
				if ac.Spec.Template == nil {
					ac.Spec.WithTemplate(corev1ac.PodTemplateSpec())
				}
				return ac, ac.Spec.Template, nil
			},
		}, true
	}
	return workload{}, false
}

// setContainerCPU sets the cpu request (when req > 0) and limit (when
// lim > 0) of container name in the apply configuration t, adding the
// container entry (keyed by name) when t does not hold it yet. Other
// resources already in t are kept.
func setContainerCPU(t *corev1ac.PodTemplateSpecApplyConfiguration, name string, req, lim int64) {
	if t.Spec == nil {
		t.WithSpec(corev1ac.PodSpec())
	}
	var c *corev1ac.ContainerApplyConfiguration
	for i := range t.Spec.Containers {
		if t.Spec.Containers[i].Name != nil && *t.Spec.Containers[i].Name == name {
			c = &t.Spec.Containers[i]
			break
		}
	}
	if c == nil {
		t.Spec.WithContainers(corev1ac.Container().WithName(name))
		c = &t.Spec.Containers[len(t.Spec.Containers)-1]
	}
	if c.Resources == nil {
		c.WithResources(corev1ac.ResourceRequirements())
	}
	if req > 0 {
		c.Resources.WithRequests(withCPU(c.Resources.Requests, req))
	}
	if lim > 0 {
		c.Resources.WithLimits(withCPU(c.Resources.Limits, lim))
	}
}

// withCPU returns a copy of l (which may be nil) with cpu set to milli
// millicores.
func withCPU(l *corev1.ResourceList, milli int64) corev1.ResourceList {
	out := corev1.ResourceList{}
	if l != nil {
		for k, v := range *l {
			out[k] = v
		}
	}
	out[corev1.ResourceCPU] = *resourceMilli(milli)
	return out
}

// milliString formats millicores for messages: "250m", or "unset" for 0.
func milliString(m int64) string {
	if m == 0 {
		return "unset"
	}
	return fmt.Sprintf("%dm", m)
}
