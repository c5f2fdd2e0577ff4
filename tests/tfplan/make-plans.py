#!/usr/bin/env python3
"""Writes the hand-written Terraform plans of tests/tfplan/.

Each plan is what `terraform show -json` (format_version 1.2) prints for
a configuration written out below as Python data: planned_values with only
the values known at plan time, resource_changes with after_unknown,
prior_state for what exists already, and the configuration's expressions
with references in the 1.x form ("aws_vpc.main.id" and "aws_vpc.main").
Attributes-as-blocks written in block syntax (route, ingress, egress) are
given as one expression for all blocks, as Terraform 1.x does.
Two plans (module-vpc-3az, four-subnets-no-az) are in Terraform 0.12's
format 0.1 instead, written by plan012() below.

The plans are committed; run this only to change them:
    python3 tests/tfplan/make-plans.py
"""
import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PROVIDER = "registry.terraform.io/hashicorp/aws"
VPC_ID = "vpc-0a1b2c3d4e5f60718"
UNKNOWN = object()  # a value known only after apply


def ref(addr, attr="id"):
    """References of `addr.attr` as Terraform 1.x lists them."""
    out = [f"{addr}.{attr}", addr] if attr else [addr]
    if addr.endswith("]"):
        out.append(addr[: addr.rindex("[")])
    return out


def each(addr):
    """`addr[count.index].id`: the index is dynamic."""
    return [addr, "count.index"]


def const(v):
    return {"constant_value": v}


def refs(*lists):
    out = []
    for l in lists:
        out.extend(l)
    return {"references": out}


class Res:
    def __init__(self, type_, name, values, config, count=None, exists=False,
                 computed=()):
        self.type, self.name = type_, name
        self.values = values  # dict, or function of the index
        self.config = config
        self.count = count
        self.exists = exists
        self.computed = computed  # unknown keys the config does not set

    def instances(self):
        if self.count is None:
            yield None, self.values if isinstance(self.values, dict) \
                else self.values(None)
        else:
            for i in range(self.count):
                yield i, self.values(i)


def split(values):
    """Known values and after_unknown for a value tree."""
    if values is UNKNOWN:
        return None, True
    if isinstance(values, dict):
        known, unk = {}, {}
        for k, v in values.items():
            kv, ku = split(v)
            if ku is True:
                unk[k] = True
                continue
            known[k] = kv
            if ku not in (None, False, {}, []):
                unk[k] = ku
        return known, unk
    if isinstance(values, list):
        known, unk, any_unk = [], [], False
        for v in values:
            kv, ku = split(v)
            known.append(kv)
            unk.append(ku if ku is not None else False)
            any_unk |= ku not in (None, False, {}, [])
        return known, unk if any_unk else []
    return values, None


def plan(resources, region="us-east-1"):
    pv, rcs, prior, cfg = [], [], [], []
    for r in resources:
        for idx, vals in r.instances():
            addr = f"{r.type}.{r.name}" + ("" if idx is None else f"[{idx}]")
            vals = dict(vals)
            for k in r.computed:
                vals.setdefault(k, UNKNOWN)
            if not r.exists:
                vals.setdefault("id", UNKNOWN)
            known, unk = split(vals)
            head = {"address": addr, "mode": "managed", "type": r.type,
                    "name": r.name}
            if idx is not None:
                head["index"] = idx
            head["provider_name"] = PROVIDER
            pv.append(dict(head, schema_version=0, values=known,
                           sensitive_values={}))
            rcs.append(dict(head, change={
                "actions": ["no-op"] if r.exists else ["create"],
                "before": known if r.exists else None,
                "after": known,
                "after_unknown": unk if isinstance(unk, dict) else {},
                "before_sensitive": {} if r.exists else False,
                "after_sensitive": {}}))
            if r.exists:
                prior.append(dict(head, schema_version=0, values=known,
                                  sensitive_values={}))
        c = {"address": f"{r.type}.{r.name}", "mode": "managed",
             "type": r.type, "name": r.name, "provider_config_key": "aws",
             "expressions": r.config, "schema_version": 0}
        if r.count is not None:
            c["count_expression"] = const(r.count)
        cfg.append(c)
    out = {
        "format_version": "1.2",
        "terraform_version": "1.5.7",
        "planned_values": {"root_module": {"resources": pv}},
        "resource_changes": rcs,
        "prior_state": {
            "format_version": "1.0", "terraform_version": "1.5.7",
            "values": {"root_module": {"resources": prior}}},
        "configuration": {
            "provider_config": {"aws": {
                "name": "aws", "full_name": PROVIDER,
                "expressions": {"region": const(region)}}},
            "root_module": {"resources": cfg}},
    }
    return out


def sg_rule(from_port, to_port, protocol, cidrs=(), groups=(), desc=""):
    return {"cidr_blocks": list(cidrs), "description": desc,
            "from_port": from_port, "ipv6_cidr_blocks": [],
            "prefix_list_ids": [], "protocol": protocol,
            "security_groups": list(groups), "self": False,
            "to_port": to_port}


def three_tier(variant):
    """The canonical architecture (scenarios/three-tier.yaml) and its
    broken variants: db-public-open, tasks-public, no-nat."""
    azs = ["us-east-1a", "us-east-1b"]
    public = ["10.0.1.0/24", "10.0.3.0/24"]
    private = ["10.0.2.0/24", "10.0.4.0/24"]
    nat = variant != "no-nat"
    tasks_tier = "public" if variant == "tasks-public" else "private"
    db_tier = "public" if variant == "db-public-open" else "private"
    R = []
    R.append(Res("aws_vpc", "main", {
        "arn": f"arn:aws:ec2:us-east-1:123456789012:vpc/{VPC_ID}",
        "cidr_block": "10.0.0.0/16", "id": VPC_ID,
        "default_network_acl_id": "acl-0f1e2d3c4b5a69788",
        "default_route_table_id": "rtb-0f1e2d3c4b5a69788",
        "default_security_group_id": "sg-0f1e2d3c4b5a69788",
        "main_route_table_id": "rtb-0f1e2d3c4b5a69788",
        "enable_dns_hostnames": True, "enable_dns_support": True,
        "instance_tenancy": "default", "ipv6_cidr_block": "",
        "tags": {"Name": "main"}},
        {"cidr_block": const("10.0.0.0/16"),
         "enable_dns_hostnames": const(True),
         "tags": const({"Name": "main"})}, exists=True))
    R.append(Res("aws_internet_gateway", "igw", {
        "vpc_id": VPC_ID, "tags": {"Name": "igw"}},
        {"vpc_id": refs(ref("aws_vpc.main")),
         "tags": const({"Name": "igw"})}, computed=("arn", "owner_id")))
    for tier, cidrs in (("public", public), ("private", private)):
        R.append(Res("aws_subnet", tier, lambda i, c=cidrs, t=tier: {
            "vpc_id": VPC_ID, "cidr_block": c[i],
            "availability_zone": azs[i],
            "map_public_ip_on_launch": False,
            "assign_ipv6_address_on_creation": False,
            "tags": {"Name": f"{t}-{azs[i][-1]}"}},
            {"vpc_id": refs(ref("aws_vpc.main")),
             "cidr_block": refs(["var.cidrs", "count.index"]),
             "availability_zone": refs(["local.azs", "count.index"]),
             "tags": refs(["local.azs", "count.index"])},
            count=2, computed=("arn", "ipv6_cidr_block", "owner_id",
                               "availability_zone_id")))
    if nat:
        R.append(Res("aws_eip", "nat", lambda i: {
            "domain": "vpc", "tags": {"Name": f"nat-{azs[i][-1]}"}},
            {"domain": const("vpc")}, count=2,
            computed=("allocation_id", "public_ip", "private_ip",
                      "association_id", "instance", "network_interface",
                      "public_dns")))
        R.append(Res("aws_nat_gateway", "nat", lambda i: {
            "connectivity_type": "public", "allocation_id": UNKNOWN,
            "subnet_id": UNKNOWN, "tags": {"Name": f"nat-{azs[i][-1]}"}},
            {"allocation_id": refs(each("aws_eip.nat")),
             "subnet_id": refs(each("aws_subnet.public"))}, count=2,
            computed=("private_ip", "public_ip", "network_interface_id")))
    R.append(Res("aws_route_table", "public", {
        "vpc_id": VPC_ID,
        "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": UNKNOWN,
                   "carrier_gateway_id": "", "core_network_arn": "",
                   "destination_prefix_list_id": "",
                   "egress_only_gateway_id": "", "ipv6_cidr_block": "",
                   "local_gateway_id": "", "nat_gateway_id": "",
                   "network_interface_id": "", "transit_gateway_id": "",
                   "vpc_endpoint_id": "", "vpc_peering_connection_id": ""}],
        "tags": {"Name": "public"}},
        {"vpc_id": refs(ref("aws_vpc.main")),
         "route": refs(ref("aws_internet_gateway.igw")),
         "tags": const({"Name": "public"})},
        computed=("arn", "owner_id", "propagating_vgws")))
    R.append(Res("aws_route_table", "private", lambda i: {
        "vpc_id": VPC_ID, "route": UNKNOWN,
        "tags": {"Name": f"private-{azs[i][-1]}"}},
        {"vpc_id": refs(ref("aws_vpc.main")),
         "tags": refs(["count.index"])}, count=2,
        computed=("arn", "owner_id", "propagating_vgws")))
    if nat:
        R.append(Res("aws_route", "private_nat", lambda i: {
            "destination_cidr_block": "0.0.0.0/0",
            "route_table_id": UNKNOWN, "nat_gateway_id": UNKNOWN,
            "gateway_id": UNKNOWN, "instance_id": UNKNOWN,
            "network_interface_id": UNKNOWN,
            "egress_only_gateway_id": UNKNOWN,
            "destination_ipv6_cidr_block": None,
            "transit_gateway_id": None, "vpc_peering_connection_id": None},
            {"route_table_id": refs(each("aws_route_table.private")),
             "destination_cidr_block": const("0.0.0.0/0"),
             "nat_gateway_id": refs(each("aws_nat_gateway.nat"))},
            count=2, computed=("origin", "state")))
    for tier in ("public", "private"):
        table = ("aws_route_table.public" if tier == "public"
                 else "aws_route_table.private")
        R.append(Res("aws_route_table_association", tier, lambda i: {
            "subnet_id": UNKNOWN, "route_table_id": UNKNOWN,
            "gateway_id": None},
            {"subnet_id": refs(each(f"aws_subnet.{tier}")),
             "route_table_id": refs(ref(table) if tier == "public"
                                    else each(table))}, count=2))

    # Security groups: the ALB's rules and the database's are resources of
    # their own (a group referring to another inline would be a cycle).
    R.append(Res("aws_security_group", "alb", {
        "name": "alb", "description": "the load balancer takes HTTP and "
        "HTTPS from anywhere", "vpc_id": VPC_ID, "ingress": UNKNOWN,
        "egress": UNKNOWN, "revoke_rules_on_delete": False, "tags": None},
        {"name": const("alb"),
         "description": const("the load balancer takes HTTP and HTTPS "
                              "from anywhere"),
         "vpc_id": refs(ref("aws_vpc.main"))},
        computed=("arn", "owner_id", "name_prefix")))
    web_ingress = [sg_rule(3000, 3000, "tcp", groups=[UNKNOWN],
                           desc="from the ALB")]
    if variant == "tasks-public":
        web_ingress.append(sg_rule(3000, 3000, "tcp", cidrs=["0.0.0.0/0"],
                                   desc="BROKEN anyone"))
    R.append(Res("aws_security_group", "web", {
        "name": "web", "description": "ECS tasks take traffic from the "
        "load balancer only", "vpc_id": VPC_ID, "ingress": web_ingress,
        "egress": [sg_rule(0, 0, "-1", cidrs=["0.0.0.0/0"],
                           desc="all outbound")],
        "revoke_rules_on_delete": False, "tags": None},
        {"name": const("web"),
         "description": const("ECS tasks take traffic from the load "
                              "balancer only"),
         "vpc_id": refs(ref("aws_vpc.main")),
         "ingress": refs(ref("aws_security_group.alb")),
         "egress": const([sg_rule(0, 0, "-1", cidrs=["0.0.0.0/0"],
                                  desc="all outbound")])},
        computed=("arn", "owner_id", "name_prefix")))
    R.append(Res("aws_security_group", "db", {
        "name": "db", "description": "the database takes MySQL from the "
        "tasks only", "vpc_id": VPC_ID, "ingress": UNKNOWN,
        "egress": UNKNOWN, "revoke_rules_on_delete": False, "tags": None},
        {"name": const("db"),
         "description": const("the database takes MySQL from the tasks "
                              "only"),
         "vpc_id": refs(ref("aws_vpc.main"))},
        computed=("arn", "owner_id", "name_prefix")))
    for name, port in (("alb_http", 80), ("alb_https", 443)):
        R.append(Res("aws_vpc_security_group_ingress_rule", name, {
            "security_group_id": UNKNOWN, "cidr_ipv4": "0.0.0.0/0",
            "ip_protocol": "tcp", "from_port": port, "to_port": port,
            "description": "HTTP" if port == 80 else "HTTPS",
            "cidr_ipv6": None, "prefix_list_id": None,
            "referenced_security_group_id": None, "tags": None},
            {"security_group_id": refs(ref("aws_security_group.alb")),
             "cidr_ipv4": const("0.0.0.0/0"), "ip_protocol": const("tcp"),
             "from_port": const(port), "to_port": const(port)},
            computed=("arn", "security_group_rule_id", "tags_all")))
    R.append(Res("aws_vpc_security_group_egress_rule", "alb_to_web", {
        "security_group_id": UNKNOWN, "referenced_security_group_id": UNKNOWN,
        "ip_protocol": "tcp", "from_port": 3000, "to_port": 3000,
        "description": "to the tasks", "cidr_ipv4": None, "cidr_ipv6": None,
        "prefix_list_id": None, "tags": None},
        {"security_group_id": refs(ref("aws_security_group.alb")),
         "referenced_security_group_id":
             refs(ref("aws_security_group.web")),
         "ip_protocol": const("tcp"), "from_port": const(3000),
         "to_port": const(3000)},
        computed=("arn", "security_group_rule_id", "tags_all")))
    R.append(Res("aws_security_group_rule", "db_mysql", {
        "type": "ingress", "security_group_id": UNKNOWN,
        "source_security_group_id": UNKNOWN, "protocol": "tcp",
        "from_port": 3306, "to_port": 3306, "cidr_blocks": None,
        "ipv6_cidr_blocks": None, "prefix_list_ids": None, "self": False,
        "description": "MySQL from ECS"},
        {"type": const("ingress"),
         "security_group_id": refs(ref("aws_security_group.db")),
         "source_security_group_id": refs(ref("aws_security_group.web")),
         "protocol": const("tcp"), "from_port": const(3306),
         "to_port": const(3306)},
        computed=("security_group_rule_id",)))
    if variant == "db-public-open":
        R.append(Res("aws_security_group_rule", "db_open", {
            "type": "ingress", "security_group_id": UNKNOWN,
            "source_security_group_id": UNKNOWN, "protocol": "tcp",
            "from_port": 3306, "to_port": 3306,
            "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": None,
            "prefix_list_ids": None, "self": False,
            "description": "BROKEN anyone"},
            {"type": const("ingress"),
             "security_group_id": refs(ref("aws_security_group.db")),
             "cidr_blocks": const(["0.0.0.0/0"]),
             "protocol": const("tcp"), "from_port": const(3306),
             "to_port": const(3306)},
            computed=("security_group_rule_id",)))
    R.append(Res("aws_security_group_rule", "db_egress", {
        "type": "egress", "security_group_id": UNKNOWN,
        "source_security_group_id": UNKNOWN, "protocol": "-1",
        "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"],
        "ipv6_cidr_blocks": None, "prefix_list_ids": None, "self": False,
        "description": None},
        {"type": const("egress"),
         "security_group_id": refs(ref("aws_security_group.db")),
         "cidr_blocks": const(["0.0.0.0/0"]), "protocol": const("-1"),
         "from_port": const(0), "to_port": const(0)},
        computed=("security_group_rule_id",)))

    # The load balancer, its listeners and target group.
    R.append(Res("aws_lb", "alb", {
        "name": "alb", "internal": False, "load_balancer_type": "application",
        "security_groups": UNKNOWN, "subnets": UNKNOWN,
        "enable_cross_zone_load_balancing": None, "ip_address_type": UNKNOWN,
        "access_logs": [], "tags": None},
        {"name": const("alb"), "internal": const(False),
         "load_balancer_type": const("application"),
         "security_groups": refs(ref("aws_security_group.alb")),
         "subnets": refs(["aws_subnet.public"])},
        computed=("arn", "arn_suffix", "dns_name", "vpc_id", "zone_id",
                  "subnet_mapping")))
    R.append(Res("aws_lb_target_group", "web", {
        "name": "web", "port": 3000, "protocol": "HTTP", "target_type": "ip",
        "vpc_id": VPC_ID, "preserve_client_ip": UNKNOWN,
        "health_check": [{"enabled": True, "path": "/health",
                          "port": "traffic-port", "protocol": "HTTP",
                          "healthy_threshold": 3, "interval": 30,
                          "matcher": UNKNOWN, "timeout": UNKNOWN,
                          "unhealthy_threshold": 3}],
        "tags": None},
        {"name": const("web"), "port": const(3000),
         "protocol": const("HTTP"), "target_type": const("ip"),
         "vpc_id": refs(ref("aws_vpc.main")),
         "health_check": [{"path": const("/health"),
                           "port": const("traffic-port")}]},
        computed=("arn", "arn_suffix", "load_balancing_algorithm_type")))
    R.append(Res("aws_lb_listener", "http", {
        "load_balancer_arn": UNKNOWN, "port": 80, "protocol": "HTTP",
        "certificate_arn": None, "alpn_policy": None,
        "default_action": [{
            "type": "redirect", "target_group_arn": None, "order": UNKNOWN,
            "authenticate_cognito": [], "authenticate_oidc": [],
            "fixed_response": [], "forward": [],
            "redirect": [{"host": "#{host}", "path": "/#{path}",
                          "port": "443", "protocol": "HTTPS",
                          "query": "#{query}", "status_code": "HTTP_301"}]}],
        "tags": None},
        {"load_balancer_arn": refs(ref("aws_lb.alb", "arn")),
         "port": const(80), "protocol": const("HTTP"),
         "default_action": [{
             "type": const("redirect"),
             "redirect": [{"port": const("443"), "protocol": const("HTTPS"),
                           "status_code": const("HTTP_301")}]}]},
        computed=("arn", "ssl_policy")))
    R.append(Res("aws_lb_listener", "https", {
        "load_balancer_arn": UNKNOWN, "port": 443, "protocol": "HTTPS",
        "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/"
        "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "alpn_policy": None,
        "default_action": [{
            "type": "forward", "target_group_arn": UNKNOWN, "order": UNKNOWN,
            "authenticate_cognito": [], "authenticate_oidc": [],
            "fixed_response": [], "forward": [], "redirect": []}],
        "tags": None},
        {"load_balancer_arn": refs(ref("aws_lb.alb", "arn")),
         "port": const(443), "protocol": const("HTTPS"),
         "certificate_arn": const("arn:aws:acm:us-east-1:123456789012:"
                                  "certificate/0f1e2d3c-4b5a-6978-8796-"
                                  "a5b4c3d2e1f0"),
         "ssl_policy": const("ELBSecurityPolicy-TLS13-1-2-2021-06"),
         "default_action": [{
             "type": const("forward"),
             "target_group_arn":
                 refs(ref("aws_lb_target_group.web", "arn"))}]},
        computed=("arn",)))

    # ECS: the web service's tasks behind the ALB.
    containers = [{"name": "web", "image": "123456789012.dkr.ecr.us-east-1"
                   ".amazonaws.com/web:1.4.2", "essential": True,
                   "portMappings": [{"containerPort": 3000,
                                     "hostPort": 3000, "protocol": "tcp"}]}]
    R.append(Res("aws_ecs_cluster", "main", {"name": "main", "tags": None},
                 {"name": const("main")}, computed=("arn",)))
    R.append(Res("aws_ecs_task_definition", "web", {
        "family": "web", "network_mode": "awsvpc",
        "requires_compatibilities": ["FARGATE"], "cpu": "256",
        "memory": "512",
        "container_definitions": json.dumps(containers,
                                            separators=(",", ":")),
        "tags": None},
        {"family": const("web"), "network_mode": const("awsvpc"),
         "requires_compatibilities": const(["FARGATE"]),
         "cpu": const("256"), "memory": const("512"),
         "container_definitions": const(json.dumps(containers))},
        computed=("arn", "arn_without_revision", "revision")))
    R.append(Res("aws_ecs_service", "web", {
        "name": "web", "cluster": UNKNOWN, "task_definition": UNKNOWN,
        "desired_count": 4, "launch_type": "FARGATE",
        "network_configuration": [{
            "subnets": UNKNOWN, "security_groups": UNKNOWN,
            "assign_public_ip": variant == "tasks-public"}],
        "load_balancer": [{
            "target_group_arn": UNKNOWN, "container_name": "web",
            "container_port": 3000, "elb_name": ""}],
        "tags": None},
        {"name": const("web"),
         "cluster": refs(ref("aws_ecs_cluster.main")),
         "task_definition": refs(ref("aws_ecs_task_definition.web", "arn")),
         "desired_count": const(4), "launch_type": const("FARGATE"),
         "network_configuration": [{
             "subnets": refs([f"aws_subnet.{tasks_tier}"]),
             "security_groups": refs(ref("aws_security_group.web")),
             "assign_public_ip": const(variant == "tasks-public")}],
         "load_balancer": [{
             "target_group_arn":
                 refs(ref("aws_lb_target_group.web", "arn")),
             "container_name": const("web"),
             "container_port": const(3000)}]},
        computed=("iam_role", "platform_version")))

    # MySQL and its read replica in the other zone.
    R.append(Res("aws_db_subnet_group", "db", {
        "name": "db", "subnet_ids": UNKNOWN, "tags": None},
        {"name": const("db"),
         "subnet_ids": refs([f"aws_subnet.{db_tier}"])},
        computed=("arn", "vpc_id", "supported_network_types")))
    R.append(Res("aws_db_instance", "db", {
        "identifier": "db", "engine": "mysql", "engine_version": "8.0",
        "instance_class": "db.t3.micro", "allocated_storage": 20,
        "db_subnet_group_name": "db", "multi_az": True,
        "publicly_accessible": variant == "db-public-open",
        "vpc_security_group_ids": UNKNOWN, "port": UNKNOWN,
        "availability_zone": UNKNOWN, "replicate_source_db": None,
        "username": "admin", "tags": None},
        {"identifier": const("db"), "engine": const("mysql"),
         "engine_version": const("8.0"),
         "instance_class": const("db.t3.micro"),
         "allocated_storage": const(20),
         "db_subnet_group_name": refs(ref("aws_db_subnet_group.db", "name")),
         "multi_az": const(True),
         "publicly_accessible": const(variant == "db-public-open"),
         "vpc_security_group_ids": refs(ref("aws_security_group.db")),
         "username": const("admin")},
        computed=("address", "arn", "endpoint", "hosted_zone_id",
                  "resource_id", "status")))
    R.append(Res("aws_db_instance", "replica", {
        "identifier": "db-replica", "replicate_source_db": "db",
        "instance_class": "db.t3.micro", "availability_zone": "us-east-1b",
        "publicly_accessible": False, "vpc_security_group_ids": UNKNOWN,
        "engine": UNKNOWN, "engine_version": UNKNOWN, "port": UNKNOWN,
        "db_subnet_group_name": UNKNOWN, "multi_az": False, "tags": None},
        {"identifier": const("db-replica"),
         "replicate_source_db": refs(ref("aws_db_instance.db",
                                         "identifier")),
         "instance_class": const("db.t3.micro"),
         "availability_zone": const("us-east-1b"),
         "vpc_security_group_ids": refs(ref("aws_security_group.db"))},
        computed=("address", "arn", "endpoint", "resource_id", "status")))
    return plan(R)


def build(instances, root_config, region="us-east-1", variables=None):
    """A plan of instances in any modules: each a dict with module ("" at
    the root), type, name, index (or None), values (UNKNOWN where known
    only after apply) and exists; root_config is the configuration's
    root_module, written out by hand."""
    mods, rcs, prior = {}, [], []
    for i in instances:
        addr = (i["module"] + "." if i["module"] else "") + \
            f"{i['type']}.{i['name']}" + \
            ("" if i.get("index") is None else
             f"[{json.dumps(i['index'])}]")
        vals = dict(i["values"])
        if not i.get("exists"):
            vals.setdefault("id", UNKNOWN)
        known, unk = split(vals)
        head = {"address": addr, "mode": "managed", "type": i["type"],
                "name": i["name"]}
        if i.get("index") is not None:
            head["index"] = i["index"]
        head["provider_name"] = PROVIDER
        mods.setdefault(i["module"], []).append(
            dict(head, schema_version=0, values=known, sensitive_values={}))
        rc = dict(head)
        if i["module"]:
            rc["module_address"] = i["module"]
        rc["change"] = {
            "actions": ["no-op"] if i.get("exists") else ["create"],
            "before": known if i.get("exists") else None, "after": known,
            "after_unknown": unk if isinstance(unk, dict) else {},
            "before_sensitive": {} if i.get("exists") else False,
            "after_sensitive": {}}
        rcs.append(rc)
        if i.get("exists"):
            prior.append(dict(head, schema_version=0, values=known))
    root = {"resources": mods.pop("", [])}
    if mods:
        root["child_modules"] = [{"resources": v, "address": k}
                                 for k, v in mods.items()]
    out = {"format_version": "1.2", "terraform_version": "1.5.7"}
    if variables:
        out["variables"] = {k: {"value": v} for k, v in variables.items()}
    out.update({
        "planned_values": {"root_module": root},
        "resource_changes": rcs,
        "prior_state": {"format_version": "1.0",
                        "terraform_version": "1.5.7",
                        "values": {"root_module": {"resources": prior}}},
        "configuration": {
            "provider_config": {"aws": {
                "name": "aws", "full_name": PROVIDER,
                "expressions": {"region": {"references": ["var.region"]}}}},
            "root_module": root_config}})
    if variables is None:
        out["configuration"]["provider_config"]["aws"]["expressions"] = {
            "region": const(region)}
    return out


def cres(type_, name, expressions, count=None, for_each=None):
    c = {"address": f"{type_}.{name}", "mode": "managed", "type": type_,
         "name": name, "provider_config_key": "aws",
         "expressions": expressions, "schema_version": 0}
    if count is not None:
        c["count_expression"] = count
    if for_each is not None:
        c["for_each_expression"] = for_each
    return c


def I(module, type_, name, values, index=None, exists=False):
    return {"module": module, "type": type_, "name": name, "index": index,
            "values": values, "exists": exists}


def modules():
    """Modules, for_each and count instances, module outputs and inputs,
    local values and data sources: how references reach resources."""
    U = UNKNOWN
    inst = [
        I("module.vpc", "aws_vpc", "this", {"cidr_block": "10.1.0.0/16"}),
        I("module.vpc", "aws_internet_gateway", "this", {"vpc_id": U}),
        I("module.vpc", "aws_route_table", "this",
          {"vpc_id": U, "route": U}),
        I("module.vpc", "aws_route", "internet", {
            "route_table_id": U, "destination_cidr_block": "0.0.0.0/0",
            "gateway_id": U, "nat_gateway_id": U, "instance_id": U}),
    ]
    for k, cidr, az in (("a", "10.1.1.0/24", "eu-west-1a"),
                        ("b", "10.1.2.0/24", "eu-west-1b")):
        inst.append(I("module.vpc", "aws_subnet", "this", {
            "vpc_id": U, "cidr_block": cidr, "availability_zone": az,
            "map_public_ip_on_launch": k == "a"}, index=k))
        inst.append(I("module.vpc", "aws_route_table_association", "this",
                      {"subnet_id": U, "route_table_id": U}, index=k))
    for n in (0, 1):
        m = f"module.app[{n}]"
        inst.append(I(m, "aws_security_group", "this", {
            "vpc_id": U, "egress": U,
            "ingress": [sg_rule(22, 22, "tcp", cidrs=["10.1.0.0/16"])]}))
        inst.append(I(m, "aws_instance", "this", {
            "subnet_id": U, "vpc_security_group_ids": U,
            "associate_public_ip_address": U, "private_ip": U}))
    inst += [
        I("", "aws_security_group", "ext", {"vpc_id": U, "ingress": U,
                                            "egress": U}),
        I("", "aws_instance", "orphan", {"subnet_id": U}),
        I("", "aws_instance", "picked", {"subnet_id": U}),
        I("", "aws_iam_role", "ci", {"name": "ci"}),
        I("", "aws_s3_bucket", "logs", {"bucket": "logs"}),
        I("", "aws_s3_bucket", "assets", {"bucket": "assets"}),
    ]
    vpc_module = {
        "resources": [
            cres("aws_vpc", "this", {"cidr_block": refs(["var.cidr"])}),
            cres("aws_internet_gateway", "this",
                 {"vpc_id": refs(["local.vpc_id"])}),
            cres("aws_route_table", "this",
                 {"vpc_id": refs(["local.vpc_id"])}),
            cres("aws_route", "internet", {
                "route_table_id": refs(ref("aws_route_table.this")),
                "destination_cidr_block": const("0.0.0.0/0"),
                "gateway_id": refs(ref("aws_internet_gateway.this"))}),
            cres("aws_subnet", "this", {
                "vpc_id": refs(ref("aws_vpc.this")),
                "cidr_block": refs(["each.value"]),
                "availability_zone": refs(["each.key", "var.region"])},
                for_each=refs(["var.subnets"])),
            cres("aws_route_table_association", "this", {
                "subnet_id": refs(["aws_subnet.this", "each.key"]),
                "route_table_id": refs(ref("aws_route_table.this"))},
                for_each=refs(["var.subnets"])),
        ],
        "outputs": {
            "vpc_id": {"expression": refs(ref("aws_vpc.this"))},
            "subnet_ids": {"expression": refs(["aws_subnet.this"])},
        },
        "variables": {"cidr": {}, "subnets": {}, "region": {}},
    }
    app_module = {
        "resources": [
            cres("aws_security_group", "this", {
                "vpc_id": refs(["var.vpc_id"]),
                "ingress": const([sg_rule(22, 22, "tcp",
                                          cidrs=["10.1.0.0/16"])])}),
            cres("aws_instance", "this", {
                "subnet_id": refs(["var.subnet_id"]),
                "vpc_security_group_ids":
                    refs(ref("aws_security_group.this"))}),
        ],
        "variables": {"vpc_id": {}, "subnet_id": {}},
    }
    root = {
        "resources": [
            cres("aws_security_group", "ext", {
                "vpc_id": refs(ref("data.aws_vpc.shared"))}),
            cres("aws_instance", "orphan", {
                "subnet_id": refs(ref("data.aws_subnet.x"))}),
            cres("aws_instance", "picked", {
                "subnet_id": refs(["module.vpc.subnet_ids", "module.vpc",
                                   "var.pick"])}),
            cres("aws_iam_role", "ci", {"name": const("ci")}),
            cres("aws_s3_bucket", "logs", {"bucket": const("logs")}),
            cres("aws_s3_bucket", "assets", {"bucket": const("assets")}),
        ],
        "module_calls": {
            "vpc": {"source": "./vpc", "module": vpc_module,
                    "expressions": {
                        "cidr": const("10.1.0.0/16"),
                        "region": refs(["var.region"]),
                        "subnets": const({"a": "10.1.1.0/24",
                                          "b": "10.1.2.0/24"})}},
            "app": {"source": "./app", "module": app_module,
                    "count_expression": const(2),
                    "expressions": {
                        "vpc_id": refs(["module.vpc.vpc_id", "module.vpc"]),
                        "subnet_id": refs([
                            'module.vpc.subnet_ids["b"]',
                            "module.vpc.subnet_ids", "module.vpc"])}},
        },
    }
    return build(inst, root, variables={"region": "eu-west-1",
                                        "pick": "a"})


def features():
    """One of each resource type the loader reads that the canonical
    architecture does not use, with the provider's defaults."""
    U = UNKNOWN
    rule = sg_rule
    inst = [
        I("", "aws_vpc", "main", {"cidr_block": "10.2.0.0/16",
                                  "default_network_acl_id": U}),
        I("", "aws_vpc", "peer", {"cidr_block": "10.3.0.0/16"}),
        I("", "aws_subnet", "a", {"vpc_id": U, "cidr_block": "10.2.1.0/24",
                                  "availability_zone": "us-east-1a"}),
        I("", "aws_subnet", "b", {"vpc_id": U, "cidr_block": "10.2.2.0/24",
                                  "availability_zone": "us-east-1b"}),
        I("", "aws_egress_only_internet_gateway", "eigw", {"vpc_id": U}),
        I("", "aws_vpc_peering_connection", "peer",
          {"vpc_id": U, "peer_vpc_id": U}),
        I("", "aws_route_table", "rt", {"vpc_id": U, "route": [
            {"cidr_block": "10.3.0.0/16", "vpc_peering_connection_id": U,
             "gateway_id": "", "nat_gateway_id": "",
             "ipv6_cidr_block": "", "transit_gateway_id": ""},
            {"cidr_block": "", "ipv6_cidr_block": "::/0",
             "egress_only_gateway_id": U, "gateway_id": "",
             "vpc_peering_connection_id": ""},
            {"cidr_block": "172.16.0.0/12",
             "transit_gateway_id": "tgw-0123456789abcdef0",
             "gateway_id": ""}]}),
        I("", "aws_main_route_table_association", "main",
          {"vpc_id": U, "route_table_id": U}),
        I("", "aws_vpc_endpoint", "s3", {
            "vpc_id": U, "service_name": "com.amazonaws.us-east-1.s3",
            "vpc_endpoint_type": "Gateway", "route_table_ids": U}),
        I("", "aws_vpc_endpoint", "ecr", {
            "vpc_id": U, "service_name": "com.amazonaws.us-east-1.ecr.dkr",
            "vpc_endpoint_type": "Interface", "subnet_ids": U,
            "security_group_ids": U, "private_dns_enabled": True}),
        I("", "aws_ec2_managed_prefix_list", "corp", {
            "name": "corp", "address_family": "IPv4", "max_entries": 5,
            "entry": [{"cidr": "192.0.2.0/24", "description": "office"}]}),
        I("", "aws_ec2_managed_prefix_list_entry", "extra",
          {"prefix_list_id": U, "cidr": "198.51.100.0/24"}),
        I("", "aws_security_group", "noegress", {
            "vpc_id": U, "egress": U,
            "ingress": [rule(443, 443, "tcp", cidrs=["0.0.0.0/0"])]}),
        I("", "aws_security_group", "mixed", {
            "vpc_id": U,
            "ingress": [
                dict(rule(0, 0, "-1"), self=True),
                dict(rule(22, 22, "tcp"), ipv6_cidr_blocks=["::/0"]),
                dict(rule(5432, 5432, "tcp"), prefix_list_ids=[U]),
                rule(8, -1, "icmp", cidrs=["10.0.0.0/8"]),
                rule(8080, 8080, "6", cidrs=["10.2.0.0/16"])],
            "egress": [rule(53, 53, "udp", cidrs=["10.2.0.2/32"])]}),
        I("", "aws_default_security_group", "default",
          {"vpc_id": U, "ingress": [], "egress": []}),
        I("", "aws_instance", "bastion", {
            "subnet_id": U, "associate_public_ip_address": True,
            "vpc_security_group_ids": U, "private_ip": U}),
        I("", "aws_network_interface", "appliance", {
            "subnet_id": U, "security_groups": U,
            "private_ips": ["10.2.2.10"], "private_ip": U,
            "source_dest_check": False}),
        I("", "aws_eip", "bastion", {"domain": "vpc", "instance": U,
                                     "network_interface": U,
                                     "public_ip": U}),
        I("", "aws_network_acl", "private", {
            "vpc_id": U, "subnet_ids": U,
            "ingress": [
                {"rule_no": 100, "action": "allow", "protocol": "tcp",
                 "from_port": 443, "to_port": 443,
                 "cidr_block": "0.0.0.0/0", "ipv6_cidr_block": "",
                 "icmp_type": 0, "icmp_code": 0},
                {"rule_no": 200, "action": "deny", "protocol": "-1",
                 "from_port": 0, "to_port": 0, "cidr_block": "10.0.0.0/8",
                 "ipv6_cidr_block": "", "icmp_type": 0, "icmp_code": 0}],
            "egress": [
                {"rule_no": 100, "action": "allow", "protocol": "-1",
                 "from_port": 0, "to_port": 0, "cidr_block": "0.0.0.0/0",
                 "ipv6_cidr_block": "", "icmp_type": 0,
                 "icmp_code": 0}]}),
        I("", "aws_network_acl_rule", "ephemeral", {
            "network_acl_id": U, "rule_number": 110, "egress": False,
            "protocol": "tcp", "rule_action": "allow",
            "cidr_block": "0.0.0.0/0", "from_port": 1024,
            "to_port": 65535}),
        I("", "aws_default_network_acl", "default", {
            "default_network_acl_id": U, "ingress": [], "egress": [],
            "subnet_ids": U}),
        I("", "aws_lb", "nlb", {
            "load_balancer_type": "network", "internal": True,
            "enable_cross_zone_load_balancing": True, "subnets": U,
            "security_groups": U,
            "subnet_mapping": [{"subnet_id": U, "allocation_id": ""},
                               {"subnet_id": U, "allocation_id": ""}]}),
        I("", "aws_lb_target_group", "app", {
            "port": 8080, "protocol": "TCP", "target_type": "instance",
            "vpc_id": U, "preserve_client_ip": U,
            "health_check": [{"port": "8081", "protocol": "HTTP",
                              "path": "/ping"}]}),
        I("", "aws_lb_target_group_attachment", "bastion",
          {"target_group_arn": U, "target_id": U, "port": 8080}),
        I("", "aws_lb_listener", "tcp", {
            "load_balancer_arn": U, "port": 8080, "protocol": "TCP",
            "default_action": [{"type": "forward",
                                "target_group_arn": U}]}),
        I("", "aws_lb", "alb", {
            "load_balancer_type": "application", "internal": True,
            "subnets": U, "security_groups": U}),
        I("", "aws_lb_target_group", "api", {
            "port": 8080, "protocol": "HTTP", "target_type": "ip",
            "vpc_id": U}),
        I("", "aws_lb_listener", "alb", {
            "load_balancer_arn": U, "port": 80, "protocol": "HTTP",
            "default_action": [{"type": "fixed-response",
                                "fixed_response": [{
                                    "content_type": "text/plain",
                                    "status_code": "404"}]}]}),
        I("", "aws_lb_listener_rule", "api", {
            "listener_arn": U, "priority": 10,
            "action": [{"type": "forward", "target_group_arn": U}],
            "condition": [{"path_pattern": [{"values": ["/api/*"]}],
                           "host_header": []}]}),
        I("", "aws_ecs_task_definition", "api", {
            "family": "api", "network_mode": "awsvpc",
            "container_definitions": U}),
        I("", "aws_ecs_service", "api", {
            "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/tools",
            "task_definition": U, "desired_count": U,
            "network_configuration": [{"subnets": U, "security_groups": U,
                                       "assign_public_ip": False}],
            "load_balancer": [{"target_group_arn": U,
                               "container_name": "api",
                               "container_port": 8080}]}),
        I("", "aws_db_subnet_group", "aurora",
          {"name": "aurora", "subnet_ids": U}),
        I("", "aws_rds_cluster", "aurora", {
            "cluster_identifier": "aurora", "engine": "aurora-postgresql",
            "db_subnet_group_name": "aurora", "port": U,
            "vpc_security_group_ids": U}),
    ]
    for n in (0, 1):
        inst.append(I("", "aws_rds_cluster_instance", "aurora", {
            "cluster_identifier": "aurora", "engine": "aurora-postgresql",
            "publicly_accessible": False, "db_subnet_group_name": U,
            "availability_zone": U}, index=n))
    main = refs(ref("aws_vpc.main"))
    root = {"resources": [
        cres("aws_vpc", "main", {"cidr_block": const("10.2.0.0/16")}),
        cres("aws_vpc", "peer", {"cidr_block": const("10.3.0.0/16")}),
        cres("aws_subnet", "a", {"vpc_id": main,
                                 "cidr_block": const("10.2.1.0/24")}),
        cres("aws_subnet", "b", {"vpc_id": main,
                                 "cidr_block": const("10.2.2.0/24")}),
        cres("aws_egress_only_internet_gateway", "eigw", {"vpc_id": main}),
        cres("aws_vpc_peering_connection", "peer", {
            "vpc_id": main, "peer_vpc_id": refs(ref("aws_vpc.peer"))}),
        cres("aws_route_table", "rt", {
            "vpc_id": main,
            "route": refs(ref("aws_vpc_peering_connection.peer"),
                          ref("aws_egress_only_internet_gateway.eigw"))}),
        cres("aws_main_route_table_association", "main", {
            "vpc_id": main, "route_table_id": refs(ref(
                "aws_route_table.rt"))}),
        cres("aws_vpc_endpoint", "s3", {
            "vpc_id": main, "route_table_ids": refs(ref(
                "aws_route_table.rt"))}),
        cres("aws_vpc_endpoint", "ecr", {
            "vpc_id": main, "subnet_ids": refs(ref("aws_subnet.a")),
            "private_dns_enabled": const(True)}),
        cres("aws_ec2_managed_prefix_list", "corp", {}),
        cres("aws_ec2_managed_prefix_list_entry", "extra", {
            "prefix_list_id": refs(ref("aws_ec2_managed_prefix_list.corp"))}),
        cres("aws_security_group", "noegress", {"vpc_id": main}),
        cres("aws_security_group", "mixed", {
            "vpc_id": main,
            "ingress": refs(ref("aws_ec2_managed_prefix_list.corp"))}),
        cres("aws_default_security_group", "default", {"vpc_id": main}),
        cres("aws_instance", "bastion", {
            "subnet_id": refs(ref("aws_subnet.a")),
            "associate_public_ip_address": const(True)}),
        cres("aws_network_interface", "appliance", {
            "subnet_id": refs(ref("aws_subnet.b")),
            "security_groups": refs(ref("aws_security_group.mixed")),
            "private_ips": const(["10.2.2.10"]),
            "source_dest_check": const(False)}),
        cres("aws_eip", "bastion", {
            "instance": refs(ref("aws_instance.bastion"))}),
        cres("aws_network_acl", "private", {
            "vpc_id": main, "subnet_ids": refs(ref("aws_subnet.b"))}),
        cres("aws_network_acl_rule", "ephemeral", {
            "network_acl_id": refs(ref("aws_network_acl.private"))}),
        cres("aws_default_network_acl", "default", {
            "default_network_acl_id": refs(ref("aws_vpc.main",
                                               "default_network_acl_id"))}),
        cres("aws_lb", "nlb", {"subnet_mapping": [
            {"subnet_id": refs(ref("aws_subnet.a"))},
            {"subnet_id": refs(ref("aws_subnet.b"))}]}),
        cres("aws_lb_target_group", "app", {"vpc_id": main}),
        cres("aws_lb_target_group_attachment", "bastion", {
            "target_group_arn": refs(ref("aws_lb_target_group.app", "arn")),
            "target_id": refs(ref("aws_instance.bastion"))}),
        cres("aws_lb_listener", "tcp", {
            "load_balancer_arn": refs(ref("aws_lb.nlb", "arn")),
            "default_action": [{"target_group_arn": refs(ref(
                "aws_lb_target_group.app", "arn"))}]}),
        cres("aws_lb", "alb", {
            "subnets": refs(ref("aws_subnet.a"), ref("aws_subnet.b")),
            "security_groups": refs(ref("aws_security_group.mixed"))}),
        cres("aws_lb_target_group", "api", {"vpc_id": main}),
        cres("aws_lb_listener", "alb", {
            "load_balancer_arn": refs(ref("aws_lb.alb", "arn"))}),
        cres("aws_lb_listener_rule", "api", {
            "listener_arn": refs(ref("aws_lb_listener.alb", "arn")),
            "action": [{"target_group_arn": refs(ref(
                "aws_lb_target_group.api", "arn"))}]}),
        cres("aws_ecs_task_definition", "api", {
            "container_definitions": refs(ref("aws_ecr_repository.api",
                                              "repository_url"))}),
        cres("aws_ecs_service", "api", {
            "task_definition": refs(ref("aws_ecs_task_definition.api",
                                        "arn")),
            "desired_count": refs(["var.api_tasks"]),
            "network_configuration": [{
                "subnets": refs(ref("aws_subnet.b")),
                "security_groups": refs(ref("aws_security_group.mixed"))}],
            "load_balancer": [{"target_group_arn": refs(ref(
                "aws_lb_target_group.api", "arn"))}]}),
        cres("aws_db_subnet_group", "aurora", {
            "subnet_ids": refs(ref("aws_subnet.a"), ref("aws_subnet.b"))}),
        cres("aws_rds_cluster", "aurora", {
            "vpc_security_group_ids": refs(ref(
                "aws_security_group.mixed"))}),
        cres("aws_rds_cluster_instance", "aurora", {
            "cluster_identifier": refs(ref("aws_rds_cluster.aurora"))},
            count=const(2)),
    ]}
    return build(inst, root)


# ---- the kinds of issue 12, as the CloudFormation tests write them ------
#
# Each plan below is the architecture of a template of tests/cfn, written
# as Terraform would plan it, its resources named after the template's
# logical ids (aws_autoscaling_group.Web is the template's Web), so that
# tests/check_tfplan.c compares the two models' findings and exposure
# maps.  Where Terraform's default differs from CloudFormation's, the
# plan sets what the template gets (egress blocks, which Terraform does
# not add; cross_zone_load_balancing, on by default in the provider;
# publicly_accessible, false by default in the provider): the same
# architecture, not the same text.

ALL_OUT = [sg_rule(0, 0, "-1", cidrs=["0.0.0.0/0"])]


def tf_sg(name, vpc, ingress=(), ingress_cfg=None, egress=ALL_OUT):
    """An aws_security_group with inline rules (egress written out: the
    provider removes AWS's allow-all)."""
    ingress = list(ingress)
    cfg = {"name": const(name), "description": const(name),
           "vpc_id": refs(ref(vpc))}
    if ingress:
        cfg["ingress"] = ingress_cfg if ingress_cfg is not None \
            else const(ingress)
    cfg["egress"] = const(egress)
    return Res("aws_security_group", name, {
        "name": name, "description": name, "vpc_id": UNKNOWN,
        "ingress": ingress, "egress": list(egress),
        "revoke_rules_on_delete": False, "tags": None},
        cfg, computed=("arn", "owner_id", "name_prefix"))


def tf_network(vpc_cidr, subnets, public_rt=True):
    """A VPC, its internet gateway, subnets (name, cidr, az, map public,
    public) and a public route table with a default route, associated
    with the public subnets, named as the templates name them."""
    R = [Res("aws_vpc", "Vpc", {"cidr_block": vpc_cidr,
                                "enable_dns_support": True,
                                "instance_tenancy": "default"},
             {"cidr_block": const(vpc_cidr)},
             computed=("arn", "default_network_acl_id",
                       "default_route_table_id",
                       "default_security_group_id", "main_route_table_id",
                       "owner_id", "ipv6_cidr_block")),
         Res("aws_internet_gateway", "Igw", {"vpc_id": UNKNOWN},
             {"vpc_id": refs(ref("aws_vpc.Vpc"))},
             computed=("arn", "owner_id"))]
    for name, cidr, az, mapped, _ in subnets:
        R.append(Res("aws_subnet", name, {
            "vpc_id": UNKNOWN, "cidr_block": cidr, "availability_zone": az,
            "map_public_ip_on_launch": mapped},
            {"vpc_id": refs(ref("aws_vpc.Vpc")), "cidr_block": const(cidr),
             "availability_zone": const(az),
             "map_public_ip_on_launch": const(mapped)},
            computed=("arn", "owner_id", "ipv6_cidr_block")))
    rt = "PublicRt" if len([s for s in subnets if s[4]]) > 1 else "Rt"
    R.append(Res("aws_route_table", rt, {"vpc_id": UNKNOWN,
                                         "route": UNKNOWN},
                 {"vpc_id": refs(ref("aws_vpc.Vpc"))},
                 computed=("arn", "owner_id", "propagating_vgws")))
    R.append(Res("aws_route", "Default", {
        "route_table_id": UNKNOWN, "destination_cidr_block": "0.0.0.0/0",
        "gateway_id": UNKNOWN, "nat_gateway_id": None,
        "instance_id": UNKNOWN, "network_interface_id": UNKNOWN},
        {"route_table_id": refs(ref(f"aws_route_table.{rt}")),
         "destination_cidr_block": const("0.0.0.0/0"),
         "gateway_id": refs(ref("aws_internet_gateway.Igw"))},
        computed=("origin", "state")))
    public = [s[0] for s in subnets if s[4]]
    for name in public:
        assoc = "Assoc" + name[len("Public"):] if len(public) > 1 \
            else "Assoc"
        R.append(Res("aws_route_table_association", assoc, {
            "subnet_id": UNKNOWN, "route_table_id": UNKNOWN,
            "gateway_id": None},
            {"subnet_id": refs(ref(f"aws_subnet.{name}")),
             "route_table_id": refs(ref(f"aws_route_table.{rt}"))}))
    return R


def fleet_ssh():
    """tests/cfn/fleet-ssh.yaml: an Auto Scaling group whose launch
    template carries a group with SSH open to the world."""
    R = tf_network("10.0.0.0/16", [
        ("PublicA", "10.0.1.0/24", "us-east-1a", True, True),
        ("PublicB", "10.0.2.0/24", "us-east-1b", False, True)])
    R.append(tf_sg("WebSg", "aws_vpc.Vpc", [
        sg_rule(22, 22, "tcp", cidrs=["0.0.0.0/0"]),
        sg_rule(80, 80, "tcp", cidrs=["0.0.0.0/0"])]))
    R.append(Res("aws_launch_template", "WebTemplate", {
        "image_id": "ami-12345678", "instance_type": "t3.micro",
        "vpc_security_group_ids": UNKNOWN, "network_interfaces": [],
        "security_group_names": None, "user_data": None},
        {"image_id": const("ami-12345678"),
         "instance_type": const("t3.micro"),
         "vpc_security_group_ids": refs(ref("aws_security_group.WebSg"))},
        computed=("arn", "latest_version", "name", "default_version")))
    R.append(Res("aws_autoscaling_group", "Web", {
        "min_size": 2, "max_size": 4, "vpc_zone_identifier": UNKNOWN,
        "launch_configuration": None,
        "launch_template": [{"id": UNKNOWN, "name": UNKNOWN,
                             "version": UNKNOWN}],
        "target_group_arns": UNKNOWN, "load_balancers": UNKNOWN},
        {"min_size": const(2), "max_size": const(4),
         "vpc_zone_identifier": refs(ref("aws_subnet.PublicA"),
                                     ref("aws_subnet.PublicB")),
         "launch_template": [{
             "id": refs(ref("aws_launch_template.WebTemplate")),
             "version": refs(ref("aws_launch_template.WebTemplate",
                                 "latest_version"))}]},
        computed=("arn", "name", "availability_zones")))
    return plan(R)


def bastion_asg():
    """tests/cfn/bastion-asg.yaml: a launch template, named by its name,
    whose primary interface asks for a public address and carries the
    group; SSH from one office range."""
    R = tf_network("10.1.0.0/16", [
        ("Public", "10.1.1.0/24", "us-east-1a", False, True)])
    R.append(tf_sg("BastionSg", "aws_vpc.Vpc", [
        sg_rule(22, 22, "tcp", cidrs=["203.0.113.0/24"])]))
    R.append(Res("aws_launch_template", "BastionTemplate", {
        "name": "bastion", "vpc_security_group_ids": None,
        "security_group_names": None, "user_data": None,
        "network_interfaces": [{
            "device_index": 0, "associate_public_ip_address": "true",
            "security_groups": UNKNOWN, "subnet_id": ""}]},
        {"name": const("bastion"),
         "network_interfaces": [{
             "device_index": const(0),
             "associate_public_ip_address": const(True),
             "security_groups": refs(ref("aws_security_group.BastionSg"))}]},
        computed=("arn", "latest_version", "default_version")))
    R.append(Res("aws_autoscaling_group", "Bastion", {
        "min_size": 1, "max_size": 1, "vpc_zone_identifier": UNKNOWN,
        "launch_configuration": None,
        "launch_template": [{"id": UNKNOWN, "name": "bastion",
                             "version": "1"}]},
        {"min_size": const(1), "max_size": const(1),
         "vpc_zone_identifier": refs(ref("aws_subnet.Public")),
         "launch_template": [{"name": const("bastion"),
                              "version": const("1")}]},
        computed=("arn", "name", "availability_zones", "target_group_arns",
                  "load_balancers")))
    return plan(R)


def ecs_bridge(host_from=32768, host_to=65535):
    """tests/cfn/ecs-bridge.yaml: ECS on EC2 in bridge mode behind an ALB;
    the launch configuration joins the cluster in its user data (the plan
    shows the provider's hash of it, the configuration the script)."""
    R = tf_network("10.2.0.0/16", [
        ("PublicA", "10.2.1.0/24", "us-east-1a", False, True),
        ("PublicB", "10.2.2.0/24", "us-east-1b", False, True),
        ("PrivateA", "10.2.11.0/24", "us-east-1a", False, False),
        ("PrivateB", "10.2.12.0/24", "us-east-1b", False, False)])
    R.append(tf_sg("AlbSg", "aws_vpc.Vpc", [
        sg_rule(80, 80, "tcp", cidrs=["0.0.0.0/0"])]))
    R.append(tf_sg("HostSg", "aws_vpc.Vpc",
                   [sg_rule(host_from, host_to, "tcp", groups=[UNKNOWN])],
                   ingress_cfg=refs(ref("aws_security_group.AlbSg"))))
    R.append(Res("aws_ecs_cluster", "Cluster", {"name": "Cluster"},
                 {"name": const("Cluster")}, computed=("arn",)))
    script = ("#!/bin/bash\necho ECS_CLUSTER=Cluster >> "
              "/etc/ecs/ecs.config\n")
    R.append(Res("aws_launch_configuration", "HostConfig", {
        "image_id": "ami-12345678", "instance_type": "t3.small",
        "security_groups": UNKNOWN,
        # The provider keeps the SHA-1 of the script, not the script.
        "user_data": "4c3ee7bd40b0e57d3b1fe2a0c02ba2d1a5bcc1d4",
        "associate_public_ip_address": UNKNOWN},
        {"image_id": const("ami-12345678"),
         "instance_type": const("t3.small"),
         "security_groups": refs(ref("aws_security_group.HostSg")),
         "user_data": const(script)},
        computed=("arn", "name", "key_name", "ebs_optimized")))
    R.append(Res("aws_autoscaling_group", "Hosts", {
        "min_size": 2, "max_size": 2, "vpc_zone_identifier": UNKNOWN,
        "launch_configuration": UNKNOWN, "launch_template": []},
        {"min_size": const(2), "max_size": const(2),
         "vpc_zone_identifier": refs(ref("aws_subnet.PrivateA"),
                                     ref("aws_subnet.PrivateB")),
         "launch_configuration": refs(ref(
             "aws_launch_configuration.HostConfig", "name"))},
        computed=("arn", "name", "availability_zones", "target_group_arns",
                  "load_balancers")))
    R.append(Res("aws_lb", "Alb", {
        "internal": False, "load_balancer_type": "application",
        "security_groups": UNKNOWN, "subnets": UNKNOWN},
        {"security_groups": refs(ref("aws_security_group.AlbSg")),
         "subnets": refs(ref("aws_subnet.PublicA"),
                         ref("aws_subnet.PublicB"))},
        computed=("arn", "dns_name", "vpc_id", "subnet_mapping")))
    R.append(Res("aws_lb_target_group", "Tg", {
        "port": 80, "protocol": "HTTP", "target_type": "instance",
        "vpc_id": UNKNOWN},
        {"port": const(80), "protocol": const("HTTP"),
         "vpc_id": refs(ref("aws_vpc.Vpc"))}, computed=("arn",)))
    R.append(Res("aws_lb_listener", "Listener", {
        "load_balancer_arn": UNKNOWN, "port": 80, "protocol": "HTTP",
        "default_action": [{"type": "forward",
                            "target_group_arn": UNKNOWN}]},
        {"load_balancer_arn": refs(ref("aws_lb.Alb", "arn")),
         "port": const(80), "protocol": const("HTTP"),
         "default_action": [{
             "type": const("forward"),
             "target_group_arn": refs(ref("aws_lb_target_group.Tg",
                                          "arn"))}]},
        computed=("arn",)))
    containers = [{"name": "web", "image": "nginx", "essential": True,
                   "portMappings": [{"containerPort": 80,
                                     "protocol": "tcp"}]}]
    R.append(Res("aws_ecs_task_definition", "Task", {
        "family": "Task",
        "container_definitions": json.dumps(containers,
                                            separators=(",", ":"))},
        {"family": const("Task"),
         "container_definitions": const(json.dumps(containers))},
        computed=("arn", "revision", "network_mode")))
    R.append(Res("aws_ecs_service", "Web", {
        "name": "web", "cluster": UNKNOWN, "task_definition": UNKNOWN,
        "desired_count": 2, "launch_type": UNKNOWN,
        "network_configuration": [],
        "load_balancer": [{"target_group_arn": UNKNOWN,
                           "container_name": "web", "container_port": 80,
                           "elb_name": ""}]},
        {"name": const("web"), "cluster": refs(ref("aws_ecs_cluster.Cluster")),
         "task_definition": refs(ref("aws_ecs_task_definition.Task",
                                     "arn")),
         "desired_count": const(2),
         "load_balancer": [{
             "target_group_arn": refs(ref("aws_lb_target_group.Tg", "arn")),
             "container_name": const("web"), "container_port": const(80)}]},
        computed=("iam_role",)))
    return plan(R)


def classic_elb(cross_zone=False):
    """tests/cfn/classic-elb.yaml: a classic ELB in front of two
    instances, listener 80 to instance port 8080; app-b's group forgets
    the load balancer.  cross_zone None leaves the provider's default."""
    R = tf_network("10.3.0.0/16", [
        ("PublicA", "10.3.1.0/24", "us-east-1a", False, True),
        ("PublicB", "10.3.2.0/24", "us-east-1b", False, True)])
    R.append(tf_sg("ElbSg", "aws_vpc.Vpc", [
        sg_rule(80, 80, "tcp", cidrs=["0.0.0.0/0"])]))
    R.append(tf_sg("AppSg", "aws_vpc.Vpc",
                   [sg_rule(8080, 8080, "tcp", groups=[UNKNOWN])],
                   ingress_cfg=refs(ref("aws_security_group.ElbSg"))))
    R.append(tf_sg("OtherSg", "aws_vpc.Vpc"))
    for name, subnet, sg in (("AppA", "PublicA", "AppSg"),
                             ("AppB", "PublicB", "OtherSg")):
        R.append(Res("aws_instance", name, {
            "ami": "ami-12345678", "instance_type": "t3.micro",
            "subnet_id": UNKNOWN, "vpc_security_group_ids": UNKNOWN,
            "associate_public_ip_address": UNKNOWN, "private_ip": UNKNOWN,
            "source_dest_check": True},
            {"ami": const("ami-12345678"),
             "instance_type": const("t3.micro"),
             "subnet_id": refs(ref(f"aws_subnet.{subnet}")),
             "vpc_security_group_ids": refs(ref(
                 f"aws_security_group.{sg}"))},
            computed=("arn", "public_ip")))
    values = {
        "internal": False, "subnets": UNKNOWN, "security_groups": UNKNOWN,
        "instances": UNKNOWN, "availability_zones": UNKNOWN,
        "listener": [{"lb_port": 80, "lb_protocol": "http",
                      "instance_port": 8080, "instance_protocol": "http",
                      "ssl_certificate_id": ""}],
        "health_check": [{"target": "HTTP:8080/health", "interval": 30,
                          "timeout": 5, "healthy_threshold": 2,
                          "unhealthy_threshold": 2}]}
    cfg = {"subnets": refs(ref("aws_subnet.PublicA"),
                           ref("aws_subnet.PublicB")),
           "security_groups": refs(ref("aws_security_group.ElbSg")),
           "instances": refs(ref("aws_instance.AppA"),
                             ref("aws_instance.AppB")),
           "listener": [{"lb_port": const(80), "lb_protocol": const("http"),
                         "instance_port": const(8080),
                         "instance_protocol": const("http")}],
           "health_check": [{"target": const("HTTP:8080/health"),
                             "interval": const(30), "timeout": const(5),
                             "healthy_threshold": const(2),
                             "unhealthy_threshold": const(2)}]}
    if cross_zone is None:
        values["cross_zone_load_balancing"] = True
    else:
        values["cross_zone_load_balancing"] = cross_zone
        cfg["cross_zone_load_balancing"] = const(cross_zone)
    R.append(Res("aws_elb", "Elb", values, cfg,
                 computed=("arn", "dns_name", "name", "zone_id",
                           "source_security_group_id")))
    return plan(R)


def data_stores(legacy_public=True):
    """tests/cfn/data-stores.yaml: a Redis and a Memcached cluster in
    private subnets, an EFS mount target, a Lambda function in the VPC, an
    Aurora cluster whose member Reader is public in a public subnet under
    a group open to the world, and an RDS instance without a DB subnet
    group (the default VPC).  The template's Sessions is a memcached
    replication group, which Terraform cannot create (replication groups
    are Redis and Valkey): here it is a memcached cluster, the same data
    store.  legacy_public False leaves Legacy's publicly_accessible to the
    provider's default."""
    R = tf_network("10.4.0.0/16", [
        ("PublicA", "10.4.1.0/24", "us-east-1a", False, True),
        ("PublicB", "10.4.2.0/24", "us-east-1b", False, True),
        ("PrivateA", "10.4.11.0/24", "us-east-1a", False, False),
        ("PrivateB", "10.4.12.0/24", "us-east-1b", False, False)])
    R.append(tf_sg("AppSg", "aws_vpc.Vpc"))
    R.append(Res("aws_vpc_security_group_ingress_rule", "AppSelf", {
        "security_group_id": UNKNOWN, "referenced_security_group_id": UNKNOWN,
        "ip_protocol": "tcp", "from_port": 443, "to_port": 443,
        "cidr_ipv4": None, "cidr_ipv6": None, "prefix_list_id": None},
        {"security_group_id": refs(ref("aws_security_group.AppSg")),
         "referenced_security_group_id": refs(ref(
             "aws_security_group.AppSg")),
         "ip_protocol": const("tcp"), "from_port": const(443),
         "to_port": const(443)},
        computed=("arn", "security_group_rule_id")))
    app = refs(ref("aws_security_group.AppSg"))
    R.append(tf_sg("CacheSg", "aws_vpc.Vpc", [
        sg_rule(6379, 6379, "tcp", groups=[UNKNOWN]),
        sg_rule(11211, 11211, "tcp", groups=[UNKNOWN])], ingress_cfg=app))
    R.append(tf_sg("NfsSg", "aws_vpc.Vpc", [
        sg_rule(2049, 2049, "tcp", groups=[UNKNOWN])], ingress_cfg=app))
    R.append(tf_sg("DbSg", "aws_vpc.Vpc", [
        sg_rule(3306, 3306, "tcp", cidrs=["0.0.0.0/0"])]))
    R.append(Res("aws_elasticache_subnet_group", "CacheSubnets", {
        "name": "cachesubnets", "subnet_ids": UNKNOWN},
        {"name": const("cachesubnets"),
         "subnet_ids": refs(ref("aws_subnet.PrivateA"),
                            ref("aws_subnet.PrivateB"))}))
    for name, engine in (("Redis", "redis"), ("Sessions", "memcached")):
        R.append(Res("aws_elasticache_cluster", name, {
            "cluster_id": name.lower(), "engine": engine,
            "node_type": "cache.t3.micro", "num_cache_nodes": 1,
            "subnet_group_name": "cachesubnets",
            "security_group_ids": UNKNOWN, "port": UNKNOWN,
            "replication_group_id": UNKNOWN},
            {"cluster_id": const(name.lower()), "engine": const(engine),
             "node_type": const("cache.t3.micro"),
             "num_cache_nodes": const(1),
             "subnet_group_name": refs(ref(
                 "aws_elasticache_subnet_group.CacheSubnets", "name")),
             "security_group_ids": refs(ref("aws_security_group.CacheSg"))},
            computed=("arn", "cache_nodes", "engine_version")))
    R.append(Res("aws_efs_file_system", "Files", {"encrypted": True},
                 {"encrypted": const(True)}, computed=("arn",)))
    R.append(Res("aws_efs_mount_target", "FilesA", {
        "file_system_id": UNKNOWN, "subnet_id": UNKNOWN,
        "security_groups": UNKNOWN, "ip_address": UNKNOWN},
        {"file_system_id": refs(ref("aws_efs_file_system.Files")),
         "subnet_id": refs(ref("aws_subnet.PrivateA")),
         "security_groups": refs(ref("aws_security_group.NfsSg"))},
        computed=("network_interface_id", "dns_name")))
    R.append(Res("aws_lambda_function", "Worker", {
        "function_name": "worker", "runtime": "python3.12",
        "handler": "app.handler",
        "vpc_config": [{"subnet_ids": UNKNOWN,
                        "security_group_ids": UNKNOWN,
                        "vpc_id": UNKNOWN}]},
        {"function_name": const("worker"), "runtime": const("python3.12"),
         "handler": const("app.handler"),
         "vpc_config": [{
             "subnet_ids": refs(ref("aws_subnet.PrivateA"),
                                ref("aws_subnet.PrivateB")),
             "security_group_ids": app}]},
        computed=("arn", "invoke_arn")))
    R.append(Res("aws_db_subnet_group", "DbSubnets", {
        "name": "dbsubnets", "subnet_ids": UNKNOWN},
        {"name": const("dbsubnets"),
         "subnet_ids": refs(ref("aws_subnet.PublicA"),
                            ref("aws_subnet.PublicB"))},
        computed=("arn",)))
    R.append(Res("aws_rds_cluster", "Aurora", {
        "cluster_identifier": "aurora", "engine": "aurora-mysql",
        "db_subnet_group_name": "dbsubnets",
        "vpc_security_group_ids": UNKNOWN, "port": UNKNOWN},
        {"cluster_identifier": const("aurora"),
         "engine": const("aurora-mysql"),
         "db_subnet_group_name": refs(ref("aws_db_subnet_group.DbSubnets",
                                          "name")),
         "vpc_security_group_ids": refs(ref("aws_security_group.DbSg"))},
        computed=("arn", "endpoint", "reader_endpoint")))
    for name, public in (("Writer", False), ("Reader", True)):
        R.append(Res("aws_rds_cluster_instance", name, {
            "identifier": name.lower(), "cluster_identifier": "aurora",
            "engine": "aurora-mysql", "instance_class": "db.r6g.large",
            "publicly_accessible": public,
            "db_subnet_group_name": UNKNOWN, "availability_zone": UNKNOWN},
            {"identifier": const(name.lower()),
             "cluster_identifier": refs(ref("aws_rds_cluster.Aurora")),
             "engine": const("aurora-mysql"),
             "instance_class": const("db.r6g.large"),
             "publicly_accessible": const(public)},
            computed=("arn", "endpoint", "port")))
    legacy = {"identifier": "legacy", "engine": "postgres",
              "instance_class": "db.t3.micro", "allocated_storage": 20,
              "db_subnet_group_name": UNKNOWN, "publicly_accessible": False,
              "vpc_security_group_ids": UNKNOWN, "port": UNKNOWN,
              "replicate_source_db": None, "multi_az": False}
    legacy_cfg = {"identifier": const("legacy"), "engine": const("postgres"),
                  "instance_class": const("db.t3.micro"),
                  "allocated_storage": const(20)}
    if legacy_public:
        legacy["publicly_accessible"] = True
        legacy_cfg["publicly_accessible"] = const(True)
    R.append(Res("aws_db_instance", "Legacy", legacy, legacy_cfg,
                 computed=("arn", "address", "endpoint")))
    return plan(R)


def kinds_extra():
    """The rest of the kinds' Terraform forms, one of each: user data in a
    launch template (base64) and behind a hash with only a reference to
    the cluster, capacity providers, a Lambda function outside any VPC,
    an ECS service registered with a classic ELB by name, a task
    definition without a network, an Auto Scaling group in the default
    VPC, attachment resources, a cache cluster in a replication group, a
    replication group without a subnet group, a mount target without
    groups, host-mode port mappings."""
    import base64
    U = UNKNOWN
    R = tf_network("10.5.0.0/16", [
        ("PublicA", "10.5.1.0/24", "us-east-1a", False, True),
        ("PublicB", "10.5.2.0/24", "us-east-1b", False, True),
        ("PrivateA", "10.5.11.0/24", "us-east-1a", False, False)])
    vpc = "aws_vpc.Vpc"
    R.append(tf_sg("HostSg", vpc, [sg_rule(0, 65535, "tcp",
                                           cidrs=["10.5.0.0/16"])]))
    R.append(tf_sg("ElbSg", vpc, [sg_rule(80, 80, "tcp",
                                          cidrs=["0.0.0.0/0"])]))
    for name in ("apps", "batch", "ref"):
        R.append(Res("aws_ecs_cluster", name, {"name": name},
                     {"name": const(name)}, computed=("arn",)))
    # A launch template whose user data (base64, known) names "apps".
    script = "#!/bin/bash\necho ECS_CLUSTER=apps >> /etc/ecs/ecs.config\n"
    R.append(Res("aws_launch_template", "Apps", {
        "name": "apps", "vpc_security_group_ids": U,
        "user_data": base64.b64encode(script.encode()).decode()},
        {"name": const("apps"),
         "vpc_security_group_ids": refs(ref("aws_security_group.HostSg")),
         "user_data": refs(["local.script"])},
        computed=("arn", "latest_version")))
    # A launch configuration whose script interpolates the cluster's
    # name: the plan shows the provider's hash, the configuration the
    # reference only.
    R.append(Res("aws_launch_configuration", "Ref", {
        "image_id": "ami-1", "instance_type": "t3.micro",
        "security_groups": U,
        "user_data": "0123456789abcdef0123456789abcdef01234567"},
        {"image_id": const("ami-1"), "instance_type": const("t3.micro"),
         "security_groups": refs(ref("aws_security_group.HostSg")),
         "user_data": refs(ref("aws_ecs_cluster.ref", "name"))},
        computed=("arn", "name")))
    R.append(Res("aws_launch_configuration", "Plain", {
        "image_id": "ami-1", "instance_type": "t3.micro",
        "security_groups": U, "associate_public_ip_address": False},
        {"image_id": const("ami-1"), "instance_type": const("t3.micro"),
         "security_groups": refs(ref("aws_security_group.HostSg")),
         "associate_public_ip_address": const(False)},
        computed=("arn", "name")))
    asg_common = {"min_size": 1, "max_size": 1,
                  "target_group_arns": U, "load_balancers": U}
    R.append(Res("aws_autoscaling_group", "AppsHosts", dict(asg_common, **{
        "vpc_zone_identifier": U, "launch_configuration": None,
        "launch_template": [{"id": U, "name": "apps", "version": "$Latest"}]}),
        {"vpc_zone_identifier": refs(ref("aws_subnet.PrivateA")),
         "launch_template": [{"name": const("apps"),
                              "version": const("$Latest")}]},
        computed=("arn", "name", "availability_zones")))
    R.append(Res("aws_autoscaling_group", "RefHosts", dict(asg_common, **{
        "vpc_zone_identifier": U, "launch_configuration": U}),
        {"vpc_zone_identifier": refs(ref("aws_subnet.PrivateA")),
         "launch_configuration": refs(ref("aws_launch_configuration.Ref",
                                          "name"))},
        computed=("arn", "name", "availability_zones")))
    # The batch cluster's instances by a capacity provider.
    R.append(Res("aws_autoscaling_group", "BatchHosts", dict(asg_common, **{
        "vpc_zone_identifier": U, "launch_configuration": U}),
        {"vpc_zone_identifier": refs(ref("aws_subnet.PrivateA")),
         "launch_configuration": refs(ref("aws_launch_configuration.Plain",
                                          "name"))},
        computed=("arn", "name", "availability_zones")))
    R.append(Res("aws_ecs_capacity_provider", "Batch", {
        "name": "batch-cp",
        "auto_scaling_group_provider": [{"auto_scaling_group_arn": U}]},
        {"name": const("batch-cp"),
         "auto_scaling_group_provider": [{
             "auto_scaling_group_arn": refs(ref(
                 "aws_autoscaling_group.BatchHosts", "arn"))}]},
        computed=("arn",)))
    R.append(Res("aws_ecs_cluster_capacity_providers", "Batch", {
        "cluster_name": "batch", "capacity_providers": ["batch-cp"]},
        {"cluster_name": refs(ref("aws_ecs_cluster.batch", "name")),
         "capacity_providers": refs(ref("aws_ecs_capacity_provider.Batch",
                                        "name"))}))
    # Availability zones only: the default VPC.
    R.append(Res("aws_autoscaling_group", "Legacy", dict(asg_common, **{
        "availability_zones": ["us-east-1a"], "vpc_zone_identifier": U,
        "launch_configuration": U}),
        {"availability_zones": const(["us-east-1a"]),
         "launch_configuration": refs(ref("aws_launch_configuration.Plain",
                                          "name"))},
        computed=("arn", "name")))
    # A classic ELB the apps hosts join by an attachment, and a host-mode
    # and a bridge service registered with it by name.
    R.append(Res("aws_elb", "Web", {
        "name": "web", "internal": False, "subnets": U,
        "security_groups": U, "instances": U,
        "listener": [{"lb_port": 80, "lb_protocol": "HTTP",
                      "instance_port": 8080, "instance_protocol": "HTTP"}]},
        {"name": const("web"),
         "subnets": refs(ref("aws_subnet.PublicA"), ref("aws_subnet.PublicB")),
         "security_groups": refs(ref("aws_security_group.ElbSg")),
         "listener": [{"lb_port": const(80), "lb_protocol": const("HTTP"),
                       "instance_port": const(8080),
                       "instance_protocol": const("HTTP")}]},
        computed=("arn", "dns_name", "cross_zone_load_balancing")))
    R.append(Res("aws_autoscaling_attachment", "AppsWeb", {
        "autoscaling_group_name": U, "elb": "web", "lb_target_group_arn": None},
        {"autoscaling_group_name": refs(ref("aws_autoscaling_group.AppsHosts")),
         "elb": refs(ref("aws_elb.Web"))}))
    for name, mode, mapping in (
            ("Host", "host", {"containerPort": 8080}),
            ("Bridge", "bridge", {"containerPort": 80, "hostPort": 8080}),
            ("Quiet", "none", {"containerPort": 80})):
        cd = [{"name": "app", "image": "app", "portMappings": [mapping]}]
        R.append(Res("aws_ecs_task_definition", name, {
            "family": name.lower(), "network_mode": mode,
            "container_definitions": json.dumps(cd, separators=(",", ":"))},
            {"family": const(name.lower()), "network_mode": const(mode),
             "container_definitions": const(json.dumps(cd))},
            computed=("arn", "revision")))
        lb = [] if name == "Quiet" else [{
            "elb_name": "web", "target_group_arn": None,
            "container_name": "app",
            "container_port": mapping["containerPort"]}]
        lb_cfg = [] if name == "Quiet" else [{
            "elb_name": refs(ref("aws_elb.Web", "name")),
            "container_name": const("app"),
            "container_port": const(mapping["containerPort"])}]
        R.append(Res("aws_ecs_service", name, {
            "name": name.lower(), "cluster": U, "task_definition": U,
            "desired_count": 1, "launch_type": "EC2",
            "network_configuration": [], "load_balancer": lb},
            {"name": const(name.lower()),
             "cluster": refs(ref("aws_ecs_cluster.apps")),
             "task_definition": refs(ref(f"aws_ecs_task_definition.{name}",
                                         "arn")),
             "launch_type": const("EC2"), "desired_count": const(1),
             "load_balancer": lb_cfg},
            computed=("iam_role",)))
    R.append(Res("aws_instance", "Extra", {
        "ami": "ami-1", "instance_type": "t3.micro", "subnet_id": U,
        "vpc_security_group_ids": U},
        {"subnet_id": refs(ref("aws_subnet.PrivateA")),
         "vpc_security_group_ids": refs(ref("aws_security_group.HostSg"))},
        computed=("arn", "private_ip", "associate_public_ip_address")))
    R.append(Res("aws_elb_attachment", "Extra", {
        "elb": "web", "instance": U},
        {"elb": refs(ref("aws_elb.Web")),
         "instance": refs(ref("aws_instance.Extra"))}))
    # A function outside every VPC.
    R.append(Res("aws_lambda_function", "Outside", {
        "function_name": "outside", "runtime": "python3.12",
        "handler": "a.h", "vpc_config": []},
        {"function_name": const("outside"), "runtime": const("python3.12"),
         "handler": const("a.h")}, computed=("arn",)))
    # A replication group without a subnet group (the default VPC) and a
    # cluster that joins it; a mount target without groups.
    R.append(Res("aws_elasticache_replication_group", "Sessions", {
        "replication_group_id": "sessions", "description": "sessions",
        "engine": "redis", "subnet_group_name": U,
        "security_group_ids": U, "port": 6380},
        {"replication_group_id": const("sessions"),
         "description": const("sessions"), "port": const(6380)},
        computed=("arn", "primary_endpoint_address")))
    R.append(Res("aws_elasticache_cluster", "Member", {
        "cluster_id": "member", "replication_group_id": "sessions",
        "engine": U, "subnet_group_name": U, "security_group_ids": U,
        "port": U},
        {"cluster_id": const("member"),
         "replication_group_id": refs(ref(
             "aws_elasticache_replication_group.Sessions"))},
        computed=("arn", "cache_nodes")))
    R.append(Res("aws_efs_file_system", "Files", {}, {}, computed=("arn",)))
    R.append(Res("aws_efs_mount_target", "Bare", {
        "file_system_id": U, "subnet_id": U, "security_groups": U},
        {"file_system_id": refs(ref("aws_efs_file_system.Files")),
         "subnet_id": refs(ref("aws_subnet.PrivateA"))},
        computed=("ip_address", "network_interface_id")))
    return plan(R)


def defaults():
    """aws_default_route_table, aws_main_route_table_association and
    aws_default_network_acl as AWS and Terraform define them, and what
    names a VPC's tables and ACL by the VPC's attributes.

    one:   the default route table adopted with a route to the gateway,
           and the default ACL adopted with one inbound rule (443): its
           written rules replace AWS's allow-all.
    two:   an association makes aws_route_table.alt the main table; the
           adopted default table is no longer main, and an aws_route
           adds to it through aws_vpc.two.default_route_table_id; a
           subnet associated through main_route_table_id gets alt.
    three: nothing adopted: an aws_route adds to AWS's own main table
           through main_route_table_id, an aws_network_acl_rule to AWS's
           own default ACL (allow-all at 100) through
           default_network_acl_id."""
    U = UNKNOWN
    R = []
    for n, (name, cidr) in enumerate((("one", "10.6.0.0/16"),
                                      ("two", "10.7.0.0/16"),
                                      ("three", "10.8.0.0/16"))):
        R.append(Res("aws_vpc", name, {"cidr_block": cidr},
                     {"cidr_block": const(cidr)},
                     computed=("default_route_table_id",
                               "default_network_acl_id",
                               "main_route_table_id",
                               "default_security_group_id")))
        R.append(Res("aws_internet_gateway", name, {"vpc_id": U},
                     {"vpc_id": refs(ref(f"aws_vpc.{name}"))}))
        base = cidr.split(".")
        for k, az in (("a", "us-east-1a"), ("b", "us-east-1b")):
            sub = f"{base[0]}.{base[1]}.{1 if k == 'a' else 2}.0/24"
            R.append(Res("aws_subnet", f"{name}_{k}", {
                "vpc_id": U, "cidr_block": sub, "availability_zone": az,
                "map_public_ip_on_launch": True},
                {"vpc_id": refs(ref(f"aws_vpc.{name}")),
                 "cidr_block": const(sub), "availability_zone": const(az),
                 "map_public_ip_on_launch": const(True)}))
        R.append(tf_sg(f"{name}_open", f"aws_vpc.{name}", [
            sg_rule(22, 22, "tcp", cidrs=["0.0.0.0/0"]),
            sg_rule(443, 443, "tcp", cidrs=["0.0.0.0/0"])]))
        R.append(Res("aws_instance", f"{name}_host", {
            "ami": "ami-1", "instance_type": "t3.micro", "subnet_id": U,
            "vpc_security_group_ids": U},
            {"subnet_id": refs(ref(f"aws_subnet.{name}_a")),
             "vpc_security_group_ids": refs(ref(
                 f"aws_security_group.{name}_open"))},
            computed=("private_ip", "associate_public_ip_address")))
    route = {"cidr_block": "0.0.0.0/0", "gateway_id": U,
             "ipv6_cidr_block": "", "nat_gateway_id": "",
             "destination_prefix_list_id": "",
             "vpc_peering_connection_id": "", "transit_gateway_id": ""}
    nacl_rule = {"rule_no": 100, "action": "allow", "protocol": "tcp",
                 "from_port": 443, "to_port": 443,
                 "cidr_block": "0.0.0.0/0", "ipv6_cidr_block": "",
                 "icmp_type": 0, "icmp_code": 0}
    egress_all = {"rule_no": 100, "action": "allow", "protocol": "-1",
                  "from_port": 0, "to_port": 0, "cidr_block": "0.0.0.0/0",
                  "ipv6_cidr_block": "", "icmp_type": 0, "icmp_code": 0}
    # one
    R.append(Res("aws_default_route_table", "one", {
        "default_route_table_id": U, "route": [route]},
        {"default_route_table_id": refs(ref("aws_vpc.one",
                                            "default_route_table_id")),
         "route": refs(ref("aws_internet_gateway.one"))}))
    R.append(Res("aws_default_network_acl", "one", {
        "default_network_acl_id": U, "ingress": [nacl_rule],
        "egress": [egress_all], "subnet_ids": U},
        {"default_network_acl_id": refs(ref("aws_vpc.one",
                                            "default_network_acl_id")),
         "ingress": const([nacl_rule]), "egress": const([egress_all])}))
    # two
    R.append(Res("aws_route_table", "alt", {"vpc_id": U, "route": [route]},
                 {"vpc_id": refs(ref("aws_vpc.two")),
                  "route": refs(ref("aws_internet_gateway.two"))}))
    R.append(Res("aws_main_route_table_association", "two", {
        "vpc_id": U, "route_table_id": U},
        {"vpc_id": refs(ref("aws_vpc.two")),
         "route_table_id": refs(ref("aws_route_table.alt"))}))
    R.append(Res("aws_default_route_table", "two", {
        "default_route_table_id": U, "route": []},
        {"default_route_table_id": refs(ref("aws_vpc.two",
                                            "default_route_table_id")),
         "route": const([])}))
    R.append(Res("aws_route", "two_extra", {
        "route_table_id": U, "destination_cidr_block": "192.0.2.0/24",
        "gateway_id": U},
        {"route_table_id": refs(ref("aws_vpc.two",
                                    "default_route_table_id")),
         "destination_cidr_block": const("192.0.2.0/24"),
         "gateway_id": refs(ref("aws_internet_gateway.two"))}))
    R.append(Res("aws_route_table_association", "two_b", {
        "subnet_id": U, "route_table_id": U, "gateway_id": None},
        {"subnet_id": refs(ref("aws_subnet.two_b")),
         "route_table_id": refs(ref("aws_vpc.two", "main_route_table_id"))}))
    # three
    R.append(Res("aws_route", "three", {
        "route_table_id": U, "destination_cidr_block": "0.0.0.0/0",
        "gateway_id": U},
        {"route_table_id": refs(ref("aws_vpc.three", "main_route_table_id")),
         "destination_cidr_block": const("0.0.0.0/0"),
         "gateway_id": refs(ref("aws_internet_gateway.three"))}))
    R.append(Res("aws_network_acl_rule", "three_no_ssh", {
        "network_acl_id": U, "rule_number": 50, "egress": False,
        "protocol": "tcp", "rule_action": "deny",
        "cidr_block": "0.0.0.0/0", "from_port": 22, "to_port": 22},
        {"network_acl_id": refs(ref("aws_vpc.three",
                                    "default_network_acl_id")),
         "rule_number": const(50), "protocol": const("tcp"),
         "rule_action": const("deny"), "cidr_block": const("0.0.0.0/0"),
         "from_port": const(22), "to_port": const(22)}))
    return plan(R)


def dualstack():
    """IPv6 dual stack, the adopted default security group and a NAT
    instance (an interface with its check off and an Elastic IP):
    semantics sections 2 to 7."""
    U = UNKNOWN
    rule = sg_rule
    inst = [
        I("", "aws_vpc", "main", {"cidr_block": "10.7.0.0/16",
                                  "assign_generated_ipv6_cidr_block": True,
                                  "ipv6_cidr_block": U}),
        I("", "aws_internet_gateway", "igw", {"vpc_id": U}),
        I("", "aws_egress_only_internet_gateway", "eigw", {"vpc_id": U}),
        I("", "aws_subnet", "pub", {
            "vpc_id": U, "cidr_block": "10.7.1.0/24",
            "availability_zone": "us-east-1a", "ipv6_cidr_block": U,
            "assign_ipv6_address_on_creation": True,
            "map_public_ip_on_launch": False}),
        I("", "aws_subnet", "pub2", {
            "vpc_id": U, "cidr_block": "10.7.3.0/24",
            "availability_zone": "us-east-1b", "ipv6_cidr_block": U,
            "assign_ipv6_address_on_creation": True,
            "map_public_ip_on_launch": False}),
        I("", "aws_subnet", "priv", {
            "vpc_id": U, "cidr_block": "10.7.2.0/24",
            "availability_zone": "us-east-1a", "ipv6_cidr_block": U,
            "assign_ipv6_address_on_creation": False,
            "map_public_ip_on_launch": False}),
        I("", "aws_route_table", "pub", {"vpc_id": U, "route": [
            {"cidr_block": "0.0.0.0/0", "gateway_id": U,
             "ipv6_cidr_block": ""},
            {"cidr_block": "", "ipv6_cidr_block": "::/0",
             "gateway_id": U}]}),
        I("", "aws_route_table", "priv", {"vpc_id": U, "route": [
            {"cidr_block": "0.0.0.0/0", "network_interface_id": U,
             "gateway_id": "", "ipv6_cidr_block": ""},
            {"cidr_block": "", "ipv6_cidr_block": "::/0",
             "egress_only_gateway_id": U, "gateway_id": ""}]}),
        I("", "aws_route_table_association", "pub",
          {"subnet_id": U, "route_table_id": U}),
        I("", "aws_route_table_association", "pub2",
          {"subnet_id": U, "route_table_id": U}),
        I("", "aws_route_table_association", "priv",
          {"subnet_id": U, "route_table_id": U}),
        I("", "aws_default_security_group", "default", {
            "vpc_id": U,
            "ingress": [dict(rule(22, 22, "tcp"),
                             ipv6_cidr_blocks=["2001:db8:77::/48"])],
            "egress": [dict(rule(0, 0, "-1", cidrs=["0.0.0.0/0"]),
                            ipv6_cidr_blocks=["::/0"])]}),
        I("", "aws_security_group", "web", {
            "vpc_id": U,
            "ingress": [dict(rule(443, 443, "tcp"),
                             ipv6_cidr_blocks=["::/0"])],
            "egress": [dict(rule(0, 0, "-1", cidrs=["0.0.0.0/0"]),
                            ipv6_cidr_blocks=["::/0"])]}),
        I("", "aws_security_group", "nat", {
            "vpc_id": U,
            "ingress": [rule(443, 443, "tcp", cidrs=["10.7.0.0/16"])],
            "egress": [rule(0, 0, "-1", cidrs=["0.0.0.0/0"])]}),
        I("", "aws_instance", "web", {
            "subnet_id": U, "vpc_security_group_ids": U,
            "ipv6_address_count": 1, "ipv6_addresses": U,
            "private_ip": U}),
        I("", "aws_instance", "plain", {
            "subnet_id": U, "vpc_security_group_ids": U,
            "private_ip": U}),
        I("", "aws_instance", "app", {
            "subnet_id": U, "vpc_security_group_ids": U,
            "private_ip": U}),
        I("", "aws_network_interface", "nat", {
            "subnet_id": U, "security_groups": U,
            "source_dest_check": False, "private_ip": U,
            "ipv6_addresses": ["2001:db8:1::99"]}),
        I("", "aws_eip", "nat", {"domain": "vpc", "network_interface": U,
                                 "public_ip": U}),
        I("", "aws_lb", "alb", {
            "load_balancer_type": "application", "internal": False,
            "ip_address_type": "dualstack", "subnets": U,
            "security_groups": U}),
        I("", "aws_db_subnet_group", "db",
          {"name": "db", "subnet_ids": U}),
        I("", "aws_db_instance", "db", {
            "engine": "postgres", "db_subnet_group_name": "db",
            "network_type": "DUAL", "publicly_accessible": True,
            "vpc_security_group_ids": U, "port": U}),
    ]
    main = refs(ref("aws_vpc.main"))
    six = refs(ref("aws_vpc.main", "ipv6_cidr_block"))
    root = {"resources": [
        cres("aws_vpc", "main", {
            "cidr_block": const("10.7.0.0/16"),
            "assign_generated_ipv6_cidr_block": const(True)}),
        cres("aws_internet_gateway", "igw", {"vpc_id": main}),
        cres("aws_egress_only_internet_gateway", "eigw", {"vpc_id": main}),
        cres("aws_subnet", "pub", {"vpc_id": main, "ipv6_cidr_block": six,
                                   "cidr_block": const("10.7.1.0/24")}),
        cres("aws_subnet", "pub2", {"vpc_id": main, "ipv6_cidr_block": six,
                                    "cidr_block": const("10.7.3.0/24")}),
        cres("aws_subnet", "priv", {"vpc_id": main, "ipv6_cidr_block": six,
                                    "cidr_block": const("10.7.2.0/24")}),
        cres("aws_route_table", "pub", {
            "vpc_id": main,
            "route": refs(ref("aws_internet_gateway.igw"))}),
        cres("aws_route_table", "priv", {
            "vpc_id": main,
            "route": refs(ref("aws_network_interface.nat"),
                          ref("aws_egress_only_internet_gateway.eigw"))}),
        cres("aws_route_table_association", "pub", {
            "subnet_id": refs(ref("aws_subnet.pub")),
            "route_table_id": refs(ref("aws_route_table.pub"))}),
        cres("aws_route_table_association", "pub2", {
            "subnet_id": refs(ref("aws_subnet.pub2")),
            "route_table_id": refs(ref("aws_route_table.pub"))}),
        cres("aws_route_table_association", "priv", {
            "subnet_id": refs(ref("aws_subnet.priv")),
            "route_table_id": refs(ref("aws_route_table.priv"))}),
        cres("aws_default_security_group", "default", {"vpc_id": main}),
        cres("aws_security_group", "web", {"vpc_id": main}),
        cres("aws_security_group", "nat", {"vpc_id": main}),
        cres("aws_instance", "web", {
            "subnet_id": refs(ref("aws_subnet.pub")),
            "vpc_security_group_ids": refs(ref("aws_security_group.web")),
            "ipv6_address_count": const(1)}),
        cres("aws_instance", "plain", {
            "subnet_id": refs(ref("aws_subnet.pub"))}),
        cres("aws_instance", "app", {
            "subnet_id": refs(ref("aws_subnet.priv")),
            "vpc_security_group_ids": refs(ref("aws_security_group.web"))}),
        cres("aws_network_interface", "nat", {
            "subnet_id": refs(ref("aws_subnet.pub")),
            "security_groups": refs(ref("aws_security_group.nat")),
            "source_dest_check": const(False),
            "ipv6_addresses": const(["2001:db8:1::99"])}),
        cres("aws_eip", "nat", {
            "network_interface": refs(ref("aws_network_interface.nat"))}),
        cres("aws_lb", "alb", {
            "subnets": refs(ref("aws_subnet.pub"), ref("aws_subnet.pub2")),
            "security_groups": refs(ref("aws_security_group.web")),
            "ip_address_type": const("dualstack")}),
        cres("aws_db_subnet_group", "db", {
            "subnet_ids": refs(ref("aws_subnet.pub"),
                               ref("aws_subnet.pub2"))}),
        cres("aws_db_instance", "db", {
            "vpc_security_group_ids": refs(ref("aws_security_group.web")),
            "network_type": const("DUAL")}),
    ]}
    return build(inst, root)


# ---- Terraform 0.12 plans (format_version 0.1) ----------------------------
#
# What `terraform show -json` of 0.12 prints, which differs from 1.x where
# the loader must cope: references name the resource, not the attribute
# ("aws_vpc.main", "aws_subnet.edge" with "count.index" beside it); a
# module's resources reach its VPC through local values, which plans do not
# contain; route blocks are left out of the configuration.  Resource
# changes carry module_address and index; an association has no values.

def r012(type_, name, instances, expressions, count=None, depends_on=None):
    """One resource block: instances is a list of (index, values,
    after_unknown); count the references of its count expression."""
    return {"type": type_, "name": name, "instances": instances,
            "expressions": expressions, "count": count,
            "depends_on": depends_on}


def plan012(version, region, blocks, module=None, module_inputs=None):
    prefix = f"module.{module}." if module else ""
    values, changes, config = [], [], []
    for b in blocks:
        for index, vals, unknown in b["instances"]:
            addr = prefix + f"{b['type']}.{b['name']}"
            if index is not None:
                addr += f"[{index}]"
            pv = {"address": addr, "mode": "managed", "type": b["type"],
                  "name": b["name"]}
            rc = {"address": addr}
            if module:
                rc["module_address"] = f"module.{module}"
            rc.update({"mode": "managed", "type": b["type"],
                       "name": b["name"]})
            if index is not None:
                pv["index"] = rc["index"] = index
            pv.update({"provider_name": "aws", "schema_version": 0})
            rc["provider_name"] = "aws"
            if vals:
                pv["values"] = vals
            values.append(pv)
            rc["change"] = {"actions": ["create"], "before": None,
                            "after": vals or {}, "after_unknown": unknown}
            changes.append(rc)
        c = {"address": f"{b['type']}.{b['name']}", "mode": "managed",
             "type": b["type"], "name": b["name"],
             "provider_config_key": f"{module}:aws" if module else "aws",
             "expressions": b["expressions"], "schema_version": 0}
        if b["count"]:
            c["count_expression"] = {"references": b["count"]}
        if b["depends_on"]:
            c["depends_on"] = b["depends_on"]
        config.append(c)
    if module:
        planned = {"root_module": {"child_modules": [
            {"resources": values, "address": f"module.{module}"}]}}
        root = {"module_calls": {module: {
            "source": "./modules/network",
            "expressions": {k: const(v) for k, v in module_inputs.items()},
            "module": {"resources": config}}}}
    else:
        planned = {"root_module": {"resources": values}}
        root = {"resources": config}
    return {"format_version": "0.1", "terraform_version": version,
            "planned_values": planned, "resource_changes": changes,
            "configuration": {
                "provider_config": {"aws": {
                    "name": "aws",
                    "expressions": {"region": const(region)}}},
                "root_module": root}}


def r012refs(*names):
    return {"references": list(names)}


def module_vpc_3az():
    """A module of our own ("network", written the way the community VPC
    module is) with three zones: an app subnet and an edge subnet in each,
    a NAT gateway with its Elastic IP in each edge subnet, one edge route
    table to the internet gateway and one app table per zone to that
    zone's NAT gateway, all through aws_route and associations indexed by
    count.index.  Every vpc_id is local.vpc_id; a VPN gateway is there too
    (a type vpcsim skips)."""
    azs = ["us-west-2a", "us-west-2b", "us-west-2c"]
    app = ["172.20.8.0/22", "172.20.12.0/22", "172.20.16.0/22"]
    edge = ["172.20.0.0/24", "172.20.1.0/24", "172.20.2.0/24"]
    three = [0, 1, 2]
    subnet_unknown = {"arn": True, "id": True, "vpc_id": True}

    def subnets(name, cidrs, public):
        return r012("aws_subnet", name, [
            (i, {"availability_zone": azs[i], "cidr_block": cidrs[i],
                 "map_public_ip_on_launch": public}, subnet_unknown)
            for i in three], {
            "availability_zone": r012refs("var.zones", "count.index"),
            "cidr_block": r012refs(f"var.{name}_cidrs", "count.index"),
            "map_public_ip_on_launch": r012refs("var.public_ips")
            if public else const(False),
            "vpc_id": r012refs("local.vpc_id")},
            count=[f"var.{name}_cidrs"])

    table_unknown = {"id": True, "route": True, "vpc_id": True}
    route_unknown = {"id": True, "gateway_id": True, "nat_gateway_id": True,
                     "route_table_id": True}
    assoc_unknown = {"id": True, "route_table_id": True, "subnet_id": True}
    blocks = [
        r012("aws_vpc", "main", [(0, {"cidr_block": "172.20.0.0/16",
                                      "enable_dns_support": True},
                                  {"arn": True, "id": True,
                                   "main_route_table_id": True})],
             {"cidr_block": r012refs("var.cidr")}, count=["var.enabled"]),
        r012("aws_internet_gateway", "main",
             [(0, None, {"id": True, "vpc_id": True})],
             {"vpc_id": r012refs("local.vpc_id")}, count=["var.enabled"]),
        r012("aws_vpn_gateway", "main",
             [(0, None, {"id": True, "vpc_id": True})],
             {"vpc_id": r012refs("local.vpc_id")}, count=["var.vpn"]),
        subnets("app", app, False),
        subnets("edge", edge, True),
        r012("aws_eip", "egress", [(i, {"vpc": True},
                                    {"allocation_id": True, "id": True,
                                     "public_ip": True}) for i in three],
             {"vpc": const(True)}, count=["var.zones"]),
        r012("aws_nat_gateway", "egress", [
            (i, None, {"allocation_id": True, "id": True,
                       "subnet_id": True}) for i in three], {
            "allocation_id": r012refs("local.egress_ips", "count.index"),
            "subnet_id": r012refs("aws_subnet.edge", "count.index")},
            count=["var.zones"], depends_on=["aws_internet_gateway.main"]),
        r012("aws_route_table", "edge", [(0, None, table_unknown)],
             {"vpc_id": r012refs("local.vpc_id")}, count=["var.enabled"]),
        r012("aws_route_table", "app",
             [(i, None, table_unknown) for i in three],
             {"vpc_id": r012refs("local.vpc_id")}, count=["var.zones"]),
        r012("aws_route", "edge_default", [
            (0, {"destination_cidr_block": "0.0.0.0/0"}, route_unknown)], {
            "destination_cidr_block": const("0.0.0.0/0"),
            "gateway_id": r012refs("aws_internet_gateway.main[0]"),
            "route_table_id": r012refs("aws_route_table.edge[0]")},
            count=["var.enabled"]),
        r012("aws_route", "app_default", [
            (i, {"destination_cidr_block": "0.0.0.0/0"}, route_unknown)
            for i in three], {
            "destination_cidr_block": const("0.0.0.0/0"),
            "nat_gateway_id": r012refs("aws_nat_gateway.egress",
                                       "count.index"),
            "route_table_id": r012refs("aws_route_table.app",
                                       "count.index")},
            count=["var.zones"]),
        r012("aws_route_table_association", "edge",
             [(i, None, assoc_unknown) for i in three], {
                 "route_table_id": r012refs("aws_route_table.edge[0]"),
                 "subnet_id": r012refs("aws_subnet.edge", "count.index")},
             count=["var.edge_cidrs"]),
        r012("aws_route_table_association", "app",
             [(i, None, assoc_unknown) for i in three], {
                 "route_table_id": r012refs("aws_route_table.app",
                                            "count.index"),
                 "subnet_id": r012refs("aws_subnet.app", "count.index")},
             count=["var.app_cidrs"]),
    ]
    return plan012("0.12.29", "us-west-2", blocks, module="network",
                   module_inputs={"cidr": "172.20.0.0/16", "zones": azs,
                                  "app_cidrs": app, "edge_cidrs": edge,
                                  "public_ips": True, "vpn": True})


def four_subnets_no_az():
    """A VPC with two front and two back subnets, no zone given; an
    internet gateway; a front route table whose one route is a route block
    with gateway_id unknown (which 0.12 leaves out of the configuration);
    an internet-facing network load balancer in the front subnets with a
    group, and three listeners whose action is fixed-response, which AWS
    refuses on a network load balancer."""
    vpc = r012refs("aws_vpc.lab")
    subnet_unknown = {"arn": True, "availability_zone": True, "id": True,
                      "vpc_id": True}
    subs = [("front-1", "192.168.4.0/25"), ("front-2", "192.168.4.128/25"),
            ("back-1", "192.168.20.0/24"), ("back-2", "192.168.21.0/24")]
    blocks = [r012("aws_vpc", "lab", [(None, {"cidr_block": "192.168.0.0/16"},
                                       {"id": True})],
                   {"cidr_block": const("192.168.0.0/16")})]
    blocks += [r012("aws_subnet", n, [(None, {"cidr_block": c,
                                              "map_public_ip_on_launch":
                                              False}, subnet_unknown)],
                    {"cidr_block": const(c), "vpc_id": vpc})
               for n, c in subs]
    blocks.append(r012("aws_internet_gateway", "gw",
                       [(None, None, {"id": True, "vpc_id": True})],
                       {"vpc_id": vpc}))
    blocks.append(r012("aws_route_table", "front", [
        (None, {"route": [{"cidr_block": "0.0.0.0/0",
                           "egress_only_gateway_id": "", "instance_id": "",
                           "ipv6_cidr_block": "", "nat_gateway_id": "",
                           "network_interface_id": "",
                           "transit_gateway_id": "",
                           "vpc_peering_connection_id": ""}]},
         {"id": True, "route": [{"gateway_id": True}], "vpc_id": True})],
        {"vpc_id": vpc}))
    for n in ("front-1", "front-2"):
        blocks.append(r012("aws_route_table_association", n, [
            (None, None, {"id": True, "route_table_id": True,
                          "subnet_id": True})],
            {"route_table_id": r012refs("aws_route_table.front"),
             "subnet_id": r012refs(f"aws_subnet.{n}")}))

    def rule(port, proto="tcp", cidr="0.0.0.0/0"):
        return {"cidr_blocks": [cidr], "description": "", "from_port": port,
                "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                "protocol": proto, "security_groups": [], "self": False,
                "to_port": port}
    blocks.append(r012("aws_security_group", "edge-nlb", [
        (None, {"name": "edge-nlb", "ingress": [rule(8443), rule(8080)],
                "egress": [rule(0, "-1")]}, {"id": True, "vpc_id": True})],
        {"name": const("edge-nlb"), "vpc_id": vpc}))
    blocks.append(r012("aws_lb", "edge", [
        (None, {"enable_cross_zone_load_balancing": False, "internal": False,
                "load_balancer_type": "network", "name": "edge"},
         {"arn": True, "id": True, "security_groups": True,
          "subnets": True})],
        {"internal": const(False), "load_balancer_type": const("network"),
         "name": const("edge"),
         "security_groups": r012refs("aws_security_group.edge-nlb"),
         "subnets": r012refs("aws_subnet.front-1", "aws_subnet.front-2")}))
    for n, port, proto in (("plain", 8080, "TCP"), ("dns", 5353, "TCP"),
                           ("syslog", 514, "UDP")):
        action = {"fixed_response": [{"content_type": "text/plain",
                                      "message_body": "up",
                                      "status_code": "200"}],
                  "target_group_arn": None, "type": "fixed-response"}
        blocks.append(r012("aws_lb_listener", n, [
            (None, {"default_action": [action], "port": port,
                    "protocol": proto},
             {"arn": True, "id": True, "load_balancer_arn": True})],
            {"default_action": [{
                "fixed_response": [{"content_type": const("text/plain"),
                                    "message_body": const("up"),
                                    "status_code": const("200")}],
                "type": const("fixed-response")}],
             "load_balancer_arn": r012refs("aws_lb.edge"),
             "port": const(str(port)), "protocol": const(proto)}))
    return plan012("0.12.31", "ca-central-1", blocks)


def write(name, data):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")


def main():
    write("three-tier.plan.json", three_tier("base"))
    write("db-public-open.plan.json", three_tier("db-public-open"))
    write("tasks-public.plan.json", three_tier("tasks-public"))
    write("no-nat.plan.json", three_tier("no-nat"))
    write("modules.plan.json", modules())
    write("features.plan.json", features())
    write("fleet-ssh.plan.json", fleet_ssh())
    write("bastion-asg.plan.json", bastion_asg())
    write("ecs-bridge.plan.json", ecs_bridge())
    write("ecs-bridge-narrow.plan.json", ecs_bridge(host_from=80, host_to=80))
    write("classic-elb.plan.json", classic_elb())
    write("classic-elb-default.plan.json", classic_elb(cross_zone=None))
    write("data-stores.plan.json", data_stores())
    write("data-stores-default.plan.json", data_stores(legacy_public=False))
    write("kinds-extra.plan.json", kinds_extra())
    write("defaults.plan.json", defaults())
    write("dualstack.plan.json", dualstack())
    write("module-vpc-3az.plan.json", module_vpc_3az())
    write("four-subnets-no-az.plan.json", four_subnets_no_az())


if __name__ == "__main__":
    main()
