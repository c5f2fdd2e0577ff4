#!/bin/sh
# Hostile inputs for the graph and chains (issue 15): full meshes, where
# every host reaches every other, so the number of paths between two
# hosts is factorial in the hops and the number of host pairs quadratic.
#
#   sh tests/hostile/gen.sh mesh N [HOPS] > mesh.yaml
#
# N hosts (h0 .. hN-1) with public addresses in two subnets and two
# security groups that let each other in on every port, ssh open to the
# internet: four equivalence classes, N^2 flows.  With HOPS, a policies:
# section forbids chains of fewer than HOPS hops from the internet to
# every instance and from h0 to h1, and requires h0 to reach h1 within
# HOPS hops on a port nothing opens, so check must search (and count)
# chains.  The same arguments give the same file.
set -eu
[ "${1:-}" = mesh ] || { echo "usage: gen.sh mesh N [HOPS]" >&2; exit 2; }
n=${2:?usage: gen.sh mesh N [HOPS]}
hops=${3:-}
cat <<YAML
# hostile: a full mesh of $n hosts (tests/hostile/gen.sh)
region: us-east-1
vpcs: {v: {cidr: 10.0.0.0/16}}
internet_gateways: {igw: {vpc: v}}
subnets:
  s0: {vpc: v, cidr: 10.0.0.0/19, az: us-east-1a, route_table: pub}
  s1: {vpc: v, cidr: 10.0.32.0/19, az: us-east-1b, route_table: pub}
route_tables:
  pub: {vpc: v, routes: [{destination: 0.0.0.0/0, target: igw}]}
security_groups:
  ga:
    vpc: v
    ingress:
      - {protocol: all, from: ga}
      - {protocol: all, from: gb}
      - {protocol: tcp, ports: 22, from: 0.0.0.0/0}
  gb:
    vpc: v
    ingress:
      - {protocol: all, from: ga}
      - {protocol: all, from: gb}
      - {protocol: tcp, ports: 22, from: 0.0.0.0/0}
instances:
YAML
awk -v n="$n" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "  h%d: {subnet: s%d, security_groups: [g%s], public_ip: true}\n",
		    i, i % 2, (int(i / 2) % 2) ? "b" : "a"
}'
if [ -n "$hops" ]; then
	cat <<YAML
policies:
  - id: mesh-internet
    message: no host is fewer than $hops hops from the internet
    forbid: {from: internet, to: {kind: instance}, hops: $hops}
  - id: mesh-pair
    message: h1 is not fewer than $hops hops from h0
    forbid: {from: h0, to: h1, hops: $hops}
  - id: mesh-require
    message: h0 reaches h1 on 9999 within $hops hops
    require: {from: h0, to: h1, ports: 9999, hops: $hops}
YAML
fi
