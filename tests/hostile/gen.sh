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
#
#   sh tests/hostile/gen.sh aliases > amp.yaml
#
# One CloudFormation error reached through YAML aliases (issue 15): a
# Ref to no resource in a list of ten, aliased ten times a level over
# six levels and four times more, so evaluating the tags meets the same
# error at the same place 3.6 million times (the evaluation budget stops
# the rest).  628 bytes; before, it printed one line per time.
#
#   sh tests/hostile/gen.sh prefix GROUPS RULES LISTS CIDRS > pl.yaml
#
# Prefix lists in rules (issue 15): LISTS prefix lists of CIDRS public
# blocks each, GROUPS security groups of RULES ingress rules each, every
# rule naming one list (rule r of group g names list (g + r) % LISTS) on
# its own port, and one public instance per group carrying that group and
# the next one, so each instance's rules name 2 * RULES lists.  100 50 50
# 20 is the 311 KB input of issue 15.
set -eu
usage="usage: gen.sh mesh N [HOPS] | gen.sh aliases | gen.sh prefix GROUPS RULES LISTS CIDRS"
if [ "${1:-}" = aliases ]; then
	cat <<'YAML'
Resources:
  V:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      Tags:
        - Key: k
          Value: &a [&r {Ref: Nope}, *r, *r, *r, *r, *r, *r, *r, *r, *r]
YAML
	prev=a
	for l in b c d e f; do
		printf '        - Key: %s\n          Value: &%s [*%s' $l $l $prev
		printf ', *%s' $prev $prev $prev $prev $prev $prev $prev $prev $prev
		printf ']\n'
		prev=$l
	done
	printf '        - Key: g\n          Value: [*f, *f, *f, *f]\n'
	exit 0
fi
if [ "${1:-}" = prefix ]; then
	[ $# -eq 5 ] || { echo "$usage" >&2; exit 2; }
	cat <<YAML
# hostile: $2 groups of $3 rules naming $4 prefix lists of $5 blocks
# (tests/hostile/gen.sh)
region: us-east-1
vpcs: {v: {cidr: 10.0.0.0/16}}
internet_gateways: {igw: {vpc: v}}
subnets:
  s0: {vpc: v, cidr: 10.0.0.0/19, az: us-east-1a, route_table: pub}
  s1: {vpc: v, cidr: 10.0.32.0/19, az: us-east-1b, route_table: pub}
route_tables:
  pub: {vpc: v, routes: [{destination: 0.0.0.0/0, target: igw}]}
YAML
	awk -v g="$2" -v r="$3" -v l="$4" -v c="$5" 'BEGIN {
		print "prefix_lists:"
		for (i = 0; i < l; i++) {
			printf "  pl%d:\n    cidrs:\n", i
			for (k = 0; k < c; k++)
				printf "      - %d.%d.%d.0/24\n", \
				    11 + (i * c + k) % 150, \
				    (i * 7 + k) % 256, (i * 13 + k * 3) % 256
		}
		print "security_groups:"
		for (i = 0; i < g; i++) {
			printf "  g%d:\n    vpc: v\n    ingress:\n", i
			for (k = 0; k < r; k++)
				printf "      - {protocol: tcp, ports: %d, " \
				    "from: pl%d}\n", 1000 + k, (i + k) % l
		}
		print "instances:"
		for (i = 0; i < g; i++)
			printf "  h%d: {subnet: s%d, security_groups: " \
			    "[g%d, g%d], public_ip: true}\n", \
			    i, i % 2, i, (i + 1) % g
	}'
	exit 0
fi
[ "${1:-}" = mesh ] || { echo "$usage" >&2; exit 2; }
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
