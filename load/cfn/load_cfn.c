/*
 * CloudFormation templates to the model: each supported resource becomes
 * one model object whose id is its logical id and whose location is the
 * line and column of that id in the template (cfn.h says how templates
 * are evaluated first).
 *
 * The loader runs in passes over the evaluated resources, in template
 * order:
 *   1. classify: each resource's model kind, or why it is skipped; which
 *      VPCs need their default security group or network ACL made
 *      explicit (something uses or names them);
 *   2. allocate the kind arrays, name and place every object, index ids;
 *   3. fill the objects that stand alone (VPCs, subnets, groups, ...),
 *      then those that read others (services read task definitions,
 *      databases their subnet groups);
 *   4. attach what CloudFormation declares as separate resources to their
 *      object: CIDR blocks, gateway attachments, associations, routes,
 *      security-group rules, NACL entries, Elastic IPs, listeners and
 *      listener rules.
 * Lists that grow in pass 4 keep their capacity in side arrays (struct
 * ld), so model objects hold exactly their arena arrays.
 *
 * A value the templates do not determine is left out of the model (no
 * rule, no route) and recorded on the object with model_add_unknown, so
 * every verdict that reads the object says so.  Values the model needs to
 * exist at all (a subnet's VPC) are input errors instead.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "base/ykit.h"
#include "load/cfn/cfn.h"
#include "load/load_impl.h"
#include "model/model_impl.h"
#include "model/values.h"

/* What a resource type becomes. */
enum rt {
	T_OTHER, /* not modelled */
	T_VPC,
	T_VPC_CIDR,
	T_SUBNET,
	T_ROUTE_TABLE,
	T_ROUTE,
	T_SUBNET_RT,
	T_IGW,
	T_EIGW,
	T_GW_ATTACH,
	T_NAT,
	T_EIP,
	T_EIP_ASSOC,
	T_SG,
	T_SG_IN,
	T_SG_OUT,
	T_NACL,
	T_NACL_ENTRY,
	T_SUBNET_NACL,
	T_INSTANCE,
	T_ENI,
	T_ENDPOINT,
	T_PEERING,
	T_PREFIX_LIST,
	T_LB,
	T_LISTENER,
	T_LISTENER_RULE,
	T_TG,
	T_CLUSTER,
	T_TASK_DEF,
	T_SERVICE,
	T_DB_SUBNETS,
	T_DB,
	T_DB_CLUSTER,
	T_ASG,
	T_LAUNCH_TEMPLATE,
	T_LAUNCH_CONFIG,
	T_CLB,
	T_CACHE,
	T_CACHE_RG,
	T_CACHE_SUBNETS,
	T_EFS_MOUNT,
	T_FUNCTION,
	T_CAPACITY_PROVIDER,
	T_CLUSTER_CP,
	T_STACK,
	T_COUNT
};

static const struct {
	const char *type;
	enum rt rt;
	enum model_kind kind; /* MK_KIND_COUNT: no object of its own */
	const char *props;    /* space-separated, for did-you-mean */
} types[] = {
    {"AWS::EC2::VPC", T_VPC, MK_VPC,
     "CidrBlock EnableDnsHostnames EnableDnsSupport InstanceTenancy "
     "Ipv4IpamPoolId Ipv4NetmaskLength Tags"},
    {"AWS::EC2::VPCCidrBlock", T_VPC_CIDR, MK_KIND_COUNT,
     "AmazonProvidedIpv6CidrBlock CidrBlock Ipv4IpamPoolId "
     "Ipv4NetmaskLength Ipv6CidrBlock Ipv6CidrBlockNetworkBorderGroup "
     "Ipv6IpamPoolId Ipv6NetmaskLength Ipv6Pool VpcId"},
    {"AWS::EC2::Subnet", T_SUBNET, MK_SUBNET,
     "AssignIpv6AddressOnCreation AvailabilityZone AvailabilityZoneId "
     "CidrBlock EnableDns64 EnableLniAtDeviceIndex Ipv4IpamPoolId "
     "Ipv4NetmaskLength Ipv6CidrBlock Ipv6IpamPoolId Ipv6Native "
     "Ipv6NetmaskLength MapPublicIpOnLaunch OutpostArn "
     "PrivateDnsNameOptionsOnLaunch Tags VpcId"},
    {"AWS::EC2::RouteTable", T_ROUTE_TABLE, MK_ROUTE_TABLE, "Tags VpcId"},
    {"AWS::EC2::Route", T_ROUTE, MK_KIND_COUNT,
     "CarrierGatewayId CoreNetworkArn DestinationCidrBlock "
     "DestinationIpv6CidrBlock DestinationPrefixListId "
     "EgressOnlyInternetGatewayId GatewayId InstanceId LocalGatewayId "
     "NatGatewayId NetworkInterfaceId RouteTableId TransitGatewayId "
     "VpcEndpointId VpcPeeringConnectionId"},
    {"AWS::EC2::SubnetRouteTableAssociation", T_SUBNET_RT, MK_KIND_COUNT,
     "RouteTableId SubnetId"},
    {"AWS::EC2::InternetGateway", T_IGW, MK_INTERNET_GATEWAY, "Tags"},
    {"AWS::EC2::EgressOnlyInternetGateway", T_EIGW, MK_INTERNET_GATEWAY,
     "Tags VpcId"},
    {"AWS::EC2::VPCGatewayAttachment", T_GW_ATTACH, MK_KIND_COUNT,
     "InternetGatewayId VpcId VpnGatewayId"},
    {"AWS::EC2::NatGateway", T_NAT, MK_NAT_GATEWAY,
     "AllocationId ConnectivityType MaxDrainDurationSeconds "
     "PrivateIpAddress SecondaryAllocationIds "
     "SecondaryPrivateIpAddressCount SecondaryPrivateIpAddresses SubnetId "
     "Tags VpcId AvailabilityMode AvailabilityZoneAddresses"},
    {"AWS::EC2::EIP", T_EIP, MK_KIND_COUNT,
     "Address Domain InstanceId IpamPoolId NetworkBorderGroup "
     "PublicIpv4Pool Tags TransferAddress"},
    {"AWS::EC2::EIPAssociation", T_EIP_ASSOC, MK_KIND_COUNT,
     "AllocationId EIP InstanceId NetworkInterfaceId PrivateIpAddress"},
    {"AWS::EC2::SecurityGroup", T_SG, MK_SECURITY_GROUP,
     "GroupDescription GroupName SecurityGroupEgress SecurityGroupIngress "
     "Tags VpcId"},
    {"AWS::EC2::SecurityGroupIngress", T_SG_IN, MK_KIND_COUNT,
     "CidrIp CidrIpv6 Description FromPort GroupId GroupName IpProtocol "
     "SourcePrefixListId SourceSecurityGroupId SourceSecurityGroupName "
     "SourceSecurityGroupOwnerId ToPort"},
    {"AWS::EC2::SecurityGroupEgress", T_SG_OUT, MK_KIND_COUNT,
     "CidrIp CidrIpv6 Description DestinationPrefixListId "
     "DestinationSecurityGroupId FromPort GroupId IpProtocol ToPort"},
    {"AWS::EC2::NetworkAcl", T_NACL, MK_NETWORK_ACL, "Tags VpcId"},
    {"AWS::EC2::NetworkAclEntry", T_NACL_ENTRY, MK_KIND_COUNT,
     "CidrBlock Egress Icmp Ipv6CidrBlock NetworkAclId PortRange Protocol "
     "RuleAction RuleNumber"},
    {"AWS::EC2::SubnetNetworkAclAssociation", T_SUBNET_NACL, MK_KIND_COUNT,
     "NetworkAclId SubnetId"},
    {"AWS::EC2::Instance", T_INSTANCE, MK_INSTANCE,
     "AdditionalInfo Affinity AvailabilityZone BlockDeviceMappings "
     "CpuOptions CreditSpecification DisableApiTermination EbsOptimized "
     "ElasticGpuSpecifications ElasticInferenceAccelerators "
     "EnclaveOptions HibernationOptions HostId HostResourceGroupArn "
     "IamInstanceProfile ImageId InstanceInitiatedShutdownBehavior "
     "InstanceType Ipv6AddressCount Ipv6Addresses KernelId KeyName "
     "LaunchTemplate LicenseSpecifications MetadataOptions Monitoring "
     "NetworkInterfaces PlacementGroupName PrivateDnsNameOptions "
     "PrivateIpAddress PropagateTagsToVolumeOnCreation RamdiskId "
     "SecurityGroupIds SecurityGroups SourceDestCheck SsmAssociations "
     "SubnetId Tags Tenancy UserData Volumes"},
    {"AWS::EC2::NetworkInterface", T_ENI, MK_INSTANCE,
     "ConnectionTrackingSpecification Description EnablePrimaryIpv6 "
     "GroupSet InterfaceType Ipv4PrefixCount Ipv4Prefixes "
     "Ipv6AddressCount Ipv6Addresses Ipv6PrefixCount Ipv6Prefixes "
     "PrivateIpAddress PrivateIpAddresses SecondaryPrivateIpAddressCount "
     "SourceDestCheck SubnetId Tags"},
    {"AWS::EC2::VPCEndpoint", T_ENDPOINT, MK_VPC_ENDPOINT,
     "DnsOptions IpAddressType PolicyDocument PrivateDnsEnabled "
     "ResourceConfigurationArn RouteTableIds SecurityGroupIds "
     "ServiceName ServiceNetworkArn ServiceRegion SubnetIds Tags "
     "VpcEndpointType VpcId"},
    {"AWS::EC2::VPCPeeringConnection", T_PEERING, MK_PEERING,
     "PeerOwnerId PeerRegion PeerRoleArn PeerVpcId Tags VpcId"},
    {"AWS::EC2::PrefixList", T_PREFIX_LIST, MK_PREFIX_LIST,
     "AddressFamily Entries MaxEntries PrefixListName Tags"},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", T_LB, MK_LOAD_BALANCER,
     "EnableCapacityReservationProvisionStabilize "
     "EnablePrefixForIpv6SourceNat "
     "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic IpAddressType "
     "Ipv4IpamPoolId LoadBalancerAttributes MinimumLoadBalancerCapacity "
     "Name Scheme SecurityGroups SubnetMappings Subnets Tags Type"},
    {"AWS::ElasticLoadBalancingV2::Listener", T_LISTENER, MK_KIND_COUNT,
     "AlpnPolicy Certificates DefaultActions ListenerAttributes "
     "LoadBalancerArn MutualAuthentication Port Protocol SslPolicy"},
    {"AWS::ElasticLoadBalancingV2::ListenerRule", T_LISTENER_RULE,
     MK_KIND_COUNT, "Actions Conditions ListenerArn Priority Transforms"},
    {"AWS::ElasticLoadBalancingV2::TargetGroup", T_TG, MK_TARGET_GROUP,
     "HealthCheckEnabled HealthCheckIntervalSeconds HealthCheckPath "
     "HealthCheckPort HealthCheckProtocol HealthCheckTimeoutSeconds "
     "HealthyThresholdCount IpAddressType Matcher Name Port Protocol "
     "ProtocolVersion Tags TargetGroupAttributes TargetType Targets "
     "UnhealthyThresholdCount VpcId"},
    {"AWS::ECS::Cluster", T_CLUSTER, MK_KIND_COUNT, NULL},
    {"AWS::ECS::TaskDefinition", T_TASK_DEF, MK_TASK_DEFINITION, NULL},
    {"AWS::ECS::Service", T_SERVICE, MK_SERVICE,
     "AvailabilityZoneRebalancing CapacityProviderStrategy Cluster "
     "DeploymentConfiguration DeploymentController DesiredCount "
     "EnableECSManagedTags EnableExecuteCommand "
     "HealthCheckGracePeriodSeconds LaunchType LoadBalancers "
     "NetworkConfiguration PlacementConstraints PlacementStrategies "
     "PlatformVersion PropagateTags Role SchedulingStrategy "
     "ServiceConnectConfiguration ServiceName ServiceRegistries Tags "
     "TaskDefinition VolumeConfigurations VpcLatticeConfigurations "
     "ForceNewDeployment"},
    {"AWS::RDS::DBSubnetGroup", T_DB_SUBNETS, MK_KIND_COUNT,
     "DBSubnetGroupDescription DBSubnetGroupName SubnetIds Tags"},
    {"AWS::RDS::DBInstance", T_DB, MK_DATABASE, NULL},
    {"AWS::RDS::DBCluster", T_DB_CLUSTER, MK_DATABASE, NULL},
    {"AWS::AutoScaling::AutoScalingGroup", T_ASG, MK_FLEET, NULL},
    {"AWS::EC2::LaunchTemplate", T_LAUNCH_TEMPLATE, MK_KIND_COUNT, NULL},
    {"AWS::AutoScaling::LaunchConfiguration", T_LAUNCH_CONFIG, MK_KIND_COUNT,
     NULL},
    {"AWS::ElasticLoadBalancing::LoadBalancer", T_CLB, MK_LOAD_BALANCER, NULL},
    {"AWS::ElastiCache::CacheCluster", T_CACHE, MK_DATABASE, NULL},
    {"AWS::ElastiCache::ReplicationGroup", T_CACHE_RG, MK_DATABASE, NULL},
    {"AWS::ElastiCache::SubnetGroup", T_CACHE_SUBNETS, MK_KIND_COUNT, NULL},
    {"AWS::EFS::MountTarget", T_EFS_MOUNT, MK_DATABASE, NULL},
    {"AWS::Lambda::Function", T_FUNCTION, MK_FLEET, NULL},
    {"AWS::Serverless::Function", T_FUNCTION, MK_FLEET, NULL},
    {"AWS::ECS::CapacityProvider", T_CAPACITY_PROVIDER, MK_KIND_COUNT, NULL},
    {"AWS::ECS::ClusterCapacityProviderAssociations", T_CLUSTER_CP,
     MK_KIND_COUNT, NULL},
    {"AWS::CloudFormation::Stack", T_STACK, MK_KIND_COUNT,
     "NotificationARNs Parameters Tags TemplateURL TimeoutInMinutes"},
};

/* Skipped types that change verdicts when present. */
static const struct {
	const char *prefix;
	const char *why;
} verdict_types[] = {
    {"AWS::NetworkFirewall::", "a network firewall filters traffic routed "
			       "through it"},
    {"AWS::EC2::TransitGateway", "a transit gateway carries traffic "
				 "between VPCs and networks"},
    {"AWS::EC2::NetworkInterfaceAttachment",
     "it attaches a network interface to an instance"},
    {"AWS::EC2::VPNGateway", "a VPN gateway routes to other networks"},
    {"AWS::EC2::VPNGatewayRoutePropagation", "it adds routes to route tables"},
    {"AWS::EC2::VPNConnection", "a VPN connects other networks"},
    {"AWS::EC2::GatewayRouteTableAssociation",
     "ingress routing sends incoming traffic through an appliance"},
    {"AWS::EC2::CarrierGateway", "a carrier gateway routes to a carrier "
				 "network"},
    {"AWS::EC2::LocalGatewayRoute", "it routes to an on-premises network"},
    {"AWS::EC2::ClientVpn", "a client VPN admits remote clients"},
    {"AWS::EC2::VPCEndpointService",
     "an endpoint service exposes a load balancer to other VPCs"},
    {"AWS::EC2::SecurityGroupVpcAssociation",
     "it lets another VPC use a security group"},
    {"AWS::GlobalAccelerator::EndpointGroup",
     "an accelerator can expose internal load balancers"},
    {"AWS::CloudFront::VpcOrigin",
     "CloudFront can reach internal load balancers"},
    {"AWS::ApiGateway::VpcLink", "API Gateway can reach internal load "
				 "balancers"},
    {"AWS::ApiGatewayV2::VpcLink", "API Gateway can reach internal load "
				   "balancers"},
};

/* The CloudFormation loader over one load: the evaluated templates (C),
 * the model being filled, and per-resource and per-object bookkeeping. */
struct cfn_loader {
	struct cfn *C;
	struct model *m;
	enum rt *rt; /* per resource */
	/* capacities of lists that grow in pass 4, by model index */
	uint32_t *cap_cidrs, *cap_routes, *cap_in, *cap_out, *cap_nin,
	    *cap_nout, *cap_listeners, *cap_targets;
	/* per resource: listener -> load balancer, listener index */
	uint32_t *li_lb, *li_idx, *cap_rules;
	uint32_t *route_count; /* per route table */
	/* per resource: the model does not hold it (a type vpcsim does not
	 * model, a resource left out, an attachment to an object outside
	 * the templates), so what it names counts as used from outside */
	bool *skipped;
};

/* ---- values ------------------------------------------------------------ */

static struct cv *prop(struct cfn_res *R, const char *name)
{
	return cv_get(R->props, name);
}

static struct ydoc_node *node_or(struct cv *v, struct cfn_res *R)
{
	return v && v->node ? v->node : R->key;
}

static struct model_obj *obj_of(struct cfn_loader *L, struct cfn_res *R)
{
	return R->kind < MK_KIND_COUNT ? model_object(L->m, R->kind, R->index)
				       : NULL;
}

__attribute__((format(printf, 3, 4))) static void
unknown(struct cfn_loader *L, struct model_obj *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (o)
		model_add_unknown(L->m, o, "%s", buf);
}

/* Resource R is not analysed (struct model_gap): the why is a clause,
 * "its VPC is unknown (...)"; what it names counts as used. */
__attribute__((format(printf, 3, 4))) static void
gap(struct cfn_loader *L, struct cfn_res *R, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	model_add_gap(L->m, R->id, cfn_loc(L->C, R->tpl, R->key), "%s", buf);
	L->skipped[R - L->C->res] = true;
}

/* The same, said at load time too. */
__attribute__((format(printf, 3, 4))) static void
gap_warn(struct cfn_loader *L, struct cfn_res *R, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cfn_warn(L->C, R->tpl, R->key, "'%s' is not analysed: %s", R->id, buf);
	gap(L, R, "%s", buf);
}

/* R is left out of the model (an attachment to an object outside the
 * templates): what it names counts as used from outside. */
static void skip(struct cfn_loader *L, struct cfn_res *R)
{
	L->skipped[R - L->C->res] = true;
}

/* Literal text of property value v; NULL when absent, unknown (recorded
 * on o as "what: why") or invalid (reported). */
static const char *text(struct cfn_loader *L, struct cfn_res *R,
			struct model_obj *o, const char *what, struct cv *v)
{
	if (!v)
		return NULL;
	const char *why;
	const char *s = cfn_text(L->C, v, &why);
	if (s)
		return s;
	if (v->kind == CV_ERROR)
		return NULL;
	if (v->kind == CV_UNKNOWN || v->kind == CV_STR) {
		unknown(L, o, "%s: %s", what, why);
		return NULL;
	}
	cfn_err(L->C, R->tpl, node_or(v, R), "%s must be a string, not %s",
		what, cfn_show_cv(L->C, v));
	return NULL;
}

static bool get_bool(struct cfn_loader *L, struct cfn_res *R,
		     struct model_obj *o, const char *what, struct cv *v,
		     bool *out)
{
	const char *s = text(L, R, o, what, v);
	if (!s)
		return false;
	if (!strcasecmp(s, "true")) {
		*out = true;
		return true;
	}
	if (!strcasecmp(s, "false")) {
		*out = false;
		return true;
	}
	cfn_err(L->C, R->tpl, node_or(v, R),
		"%s must be true or false, not '%s'", what, s);
	return false;
}

/* A whole number in [lo, hi], optionally signed. */
static bool get_int(struct cfn_loader *L, struct cfn_res *R,
		    struct model_obj *o, const char *what, struct cv *v,
		    long lo, long hi, long *out)
{
	const char *s = text(L, R, o, what, v);
	if (!s)
		return false;
	char *end;
	long x = strtol(s, &end, 10);
	if (!*s || *end || x < lo || x > hi) {
		char ab[UTIL_ABBREV_SIZE];
		cfn_err(L->C, R->tpl, node_or(v, R),
			"%s must be a whole number %ld-%ld, not '%s'", what, lo,
			hi, util_abbrev(ab, s));
		return false;
	}
	*out = x;
	return true;
}

/* The parameter whose value v is (its node is the parameter's name in
 * Parameters), or NULL. */
static const char *param_named_at(struct cfn *C, const struct cv *v)
{
	if (!v || v->tpl >= C->n_tpls)
		return NULL;
	struct cfn_tpl *T = &C->tpls[v->tpl];
	for (uint32_t i = 0; i < T->n_params; i++)
		if (T->params[i].key == v->node)
			return T->params[i].name;
	return NULL;
}

static bool get_cidr(struct cfn_loader *L, struct cfn_res *R,
		     struct model_obj *o, const char *what, struct cv *v,
		     struct cidr *out)
{
	const char *s = text(L, R, o, what, v);
	if (!s)
		return false;
	int rc = cidr_parse(out, s);
	if (rc == 0)
		return true;
	if (rc == CIDR_EHOSTBITS) {
		/* Where the value comes from a parameter, the error is at
		 * the parameter; it names the resource that reads it. */
		char buf[CIDR_STRLEN];
		cidr_format(buf, *out);
		const char *param = param_named_at(L->C, v);
		enum rt t = L->rt[R - L->C->res];
		cfn_err(L->C, R->tpl, node_or(v, R),
			"%s '%s' has host bits set%s%s%s%s (did you mean "
			"'%s'?)",
			what, s,
			param ? arena_printf(&L->C->a,
					     " (parameter '%s', read by '%s')",
					     param, R->id)
			      : "",
			t == T_VPC || t == T_SUBNET || t == T_VPC_CIDR
			    ? ": EC2 creates a "
			    : "",
			t == T_VPC || t == T_SUBNET || t == T_VPC_CIDR
			    ? (t == T_SUBNET ? "subnet" : "VPC block")
			    : "",
			t == T_VPC || t == T_SUBNET || t == T_VPC_CIDR
			    ? " only from a block's first address, so "
			      "deploying the template fails"
			    : "",
			buf);
	} else {
		cfn_err(L->C, R->tpl, node_or(v, R),
			"%s must be an IPv4 CIDR block, not '%s'", what, s);
	}
	return false;
}

static bool get_cidr6(struct cfn_loader *L, struct cfn_res *R,
		      struct model_obj *o, const char *what, struct cv *v,
		      struct cidr6 *out)
{
	const char *s = text(L, R, o, what, v);
	if (!s)
		return false;
	if (cidr6_parse(out, s) == 0)
		return true;
	cfn_err(L->C, R->tpl, node_or(v, R),
		"%s must be an IPv6 CIDR block, not '%s'", what, s);
	return false;
}

static bool get_addr(struct cfn_loader *L, struct cfn_res *R,
		     struct model_obj *o, const char *what, struct cv *v,
		     uint32_t *out)
{
	const char *s = text(L, R, o, what, v);
	if (!s)
		return false;
	if (addr_parse(out, s) == 0)
		return true;
	cfn_err(L->C, R->tpl, node_or(v, R),
		"%s must be an IPv4 address, not '%s'", what, s);
	return false;
}

/* A string of comma-separated items as a list: CloudFormation splits
 * a comma-delimited string given for a list of strings (Fn::Join with
 * "," is a common way to write VPCZoneIdentifier). */
static struct cv *split_commas(struct cfn_loader *L, struct cv *v)
{
	uint32_t n = 1;
	for (const char *p = v->s; *p; p++)
		n += *p == ',';
	struct cv *w = arena_alloc(&L->C->a, sizeof(*w));
	*w = (struct cv){.kind = CV_LIST, .tpl = v->tpl, .node = v->node};
	w->items = arena_array(&L->C->a, n, sizeof(*w->items));
	for (const char *p = v->s;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		while (len && (*p == ' ')) {
			p++;
			len--;
		}
		while (len && p[len - 1] == ' ')
			len--;
		if (len) {
			struct cv *x = arena_alloc(&L->C->a, sizeof(*x));
			*x = *v;
			x->s = arena_strndup(&L->C->a, p, len);
			w->items[w->n++] = x;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return w;
}

/* The list a property holds (a single value counts as a list of one, a
 * comma-delimited string as its items); NULL after an error or when
 * unknown (recorded). */
static struct cv *list_of(struct cfn_loader *L, struct cfn_res *R,
			  struct model_obj *o, const char *what, struct cv *v)
{
	if (!v)
		return NULL;
	if (v->kind == CV_LIST) {
		/* [!Join [",", [a, b]]]: items that are comma-delimited
		 * strings count as their items */
		uint32_t n = 0;
		bool commas = false;
		for (uint32_t i = 0; i < v->n; i++) {
			struct cv *x = v->items[i];
			bool c = x->kind == CV_STR && strchr(x->s, ',');
			commas |= c;
			n += c ? split_commas(L, x)->n : 1;
		}
		if (!commas)
			return v;
		struct cv *w = arena_alloc(&L->C->a, sizeof(*w));
		*w = *v;
		w->n = 0;
		w->items = arena_array(&L->C->a, n, sizeof(*w->items));
		for (uint32_t i = 0; i < v->n; i++) {
			struct cv *x = v->items[i];
			if (x->kind != CV_STR || !strchr(x->s, ',')) {
				w->items[w->n++] = x;
				continue;
			}
			struct cv *parts = split_commas(L, x);
			for (uint32_t k = 0; k < parts->n; k++)
				w->items[w->n++] = parts->items[k];
		}
		return w;
	}
	if (v->kind == CV_STR && strchr(v->s, ','))
		return split_commas(L, v);
	if (v->kind == CV_UNKNOWN) {
		unknown(L, o, "%s: %s", what, v->s);
		return NULL;
	}
	if (v->kind == CV_STR) {
		struct cv *w = arena_alloc(&L->C->a, sizeof(*w));
		*w = (struct cv){
		    .kind = CV_LIST, .tpl = v->tpl, .node = v->node, .n = 1};
		w->items = arena_alloc(&L->C->a, sizeof(*w->items));
		w->items[0] = v;
		return w;
	}
	if (v->kind != CV_ERROR)
		cfn_err(L->C, R->tpl, node_or(v, R),
			"%s must be a list, not %s", what,
			cfn_show_cv(L->C, v));
	return NULL;
}

static struct cv *want_map(struct cfn_loader *L, struct cfn_res *R,
			   struct model_obj *o, const char *what, struct cv *v)
{
	if (!v || v->kind == CV_MAP)
		return v;
	if (v->kind == CV_UNKNOWN)
		unknown(L, o, "%s: %s", what, v->s);
	else if (v->kind != CV_ERROR)
		cfn_err(L->C, R->tpl, node_or(v, R),
			"%s must be a mapping, not %s", what,
			cfn_show_cv(L->C, v));
	return NULL;
}

/* ---- references --------------------------------------------------------- */

/*
 * What a reference names.  REF_RES: a resource of the loaded templates
 * (*res), REF_DEFAULT_SG / REF_DEFAULT_NACL: that of VPC *res;
 * REF_LITERAL: an id written out (*lit), which the templates do not
 * define; REF_UNKNOWN: recorded on o; REF_BAD: reported.
 */
enum ref_kind {
	REF_RES,
	REF_DEFAULT_SG,
	REF_DEFAULT_NACL,
	REF_LITERAL,
	REF_UNKNOWN,
	REF_BAD
};

static enum ref_kind get_ref(struct cfn_loader *L, struct cfn_res *R,
			     struct model_obj *o, const char *what,
			     struct cv *v, uint32_t *res, const char **lit)
{
	*res = CFN_NONE;
	*lit = NULL;
	if (!v)
		return REF_BAD;
	if (v->kind == CV_UNKNOWN) {
		unknown(L, o, "%s: %s", what, v->s);
		return REF_UNKNOWN;
	}
	if (v->kind == CV_ERROR)
		return REF_BAD;
	if (v->kind != CV_STR) {
		cfn_err(L->C, R->tpl, node_or(v, R),
			"%s must be a resource id, not %s", what,
			cfn_show_cv(L->C, v));
		return REF_BAD;
	}
	const char *attr;
	if (cfn_token(v->s, res, &attr)) {
		if (!attr)
			return REF_RES;
		if (!strcmp(attr, "DefaultSecurityGroup"))
			return REF_DEFAULT_SG;
		if (!strcmp(attr, "DefaultNetworkAcl"))
			return REF_DEFAULT_NACL;
		unknown(L, o, "%s: '%s' is known only after deployment", what,
			cfn_show(L->C, v->s));
		return REF_UNKNOWN;
	}
	if (strchr(v->s, CFN_TOK)) {
		unknown(L, o, "%s: '%s' is known only after deployment", what,
			cfn_show(L->C, v->s));
		return REF_UNKNOWN;
	}
	*lit = v->s;
	return REF_LITERAL;
}

/* The model kind a type becomes when it is not left out. */
static enum model_kind rt_kind(enum rt t)
{
	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		if (types[i].rt == t)
			return types[i].kind;
	return MK_KIND_COUNT;
}

/*
 * Whether lit, written as the id of an object of kind k, is one EC2
 * refuses: it starts with that kind's prefix ("vpc-") but the rest is not
 * 8 or 17 lowercase hexadecimal digits.  *noun and *prefix say what it
 * should be.  Ids of other shapes (names, ARNs) are left alone.
 */
static bool id_malformed(enum model_kind k, const char *lit, const char **noun,
			 const char **prefix)
{
	static const struct {
		enum model_kind kind;
		const char *prefix, *noun;
	} ids[] = {
	    {MK_VPC, "vpc-", "VPC"},
	    {MK_SUBNET, "subnet-", "subnet"},
	    {MK_SECURITY_GROUP, "sg-", "security group"},
	    {MK_ROUTE_TABLE, "rtb-", "route table"},
	    {MK_NETWORK_ACL, "acl-", "network ACL"},
	    {MK_INTERNET_GATEWAY, "igw-", "internet gateway"},
	    {MK_INTERNET_GATEWAY, "eigw-", "egress-only internet gateway"},
	    {MK_NAT_GATEWAY, "nat-", "NAT gateway"},
	    {MK_INSTANCE, "i-", "instance"},
	    {MK_INSTANCE, "eni-", "network interface"},
	    {MK_VPC_ENDPOINT, "vpce-", "VPC endpoint"},
	    {MK_PEERING, "pcx-", "peering connection"},
	    {MK_PREFIX_LIST, "pl-", "prefix list"},
	};
	for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
		size_t pl = strlen(ids[i].prefix);
		if (ids[i].kind != k || strncmp(lit, ids[i].prefix, pl))
			continue;
		size_t n = strspn(lit + pl, "0123456789abcdef");
		*noun = ids[i].noun;
		*prefix = ids[i].prefix;
		return lit[pl + n] || (n != 8 && n != 17);
	}
	return false;
}

/* A literal id written where an object of kind k is expected: an error
 * when EC2 refuses it (true), else an object outside the templates. */
static bool bad_literal(struct cfn_loader *L, struct cfn_res *R,
			const char *what, struct cv *v, enum model_kind k,
			const char *lit)
{
	const char *noun, *prefix;
	if (!id_malformed(k, lit, &noun, &prefix))
		return false;
	cfn_err(L->C, R->tpl, node_or(v, R),
		"'%s' %s: '%s' is no %s id EC2 accepts ('%s' and 8 or 17 "
		"hexadecimal digits), so deploying the template fails",
		R->id, what, lit, noun, prefix);
	return true;
}

/* A reference that must be a model object of kind k made from a resource
 * of one of the rts; the object's index or MODEL_NONE.  Literal ids of
 * objects outside the templates are unknowns on o. */
static uint32_t ref_obj(struct cfn_loader *L, struct cfn_res *R,
			struct model_obj *o, const char *what, struct cv *v,
			enum model_kind k, const char *want)
{
	uint32_t r;
	const char *lit;
	enum ref_kind rk = get_ref(L, R, o, what, v, &r, &lit);
	struct cfn *C = L->C;
	switch (rk) {
	case REF_RES:
		if (C->res[r].kind == k)
			return C->res[r].index;
		if (C->res[r].kind == MK_KIND_COUNT && L->rt[r] == T_OTHER &&
		    !strncmp(C->res[r].type, "AWS::", 5)) {
			unknown(L, o,
				"%s: '%s' is a %s, which vpcsim does not "
				"model",
				what, C->res[r].id, C->res[r].type);
			return MODEL_NONE;
		}
		if (C->res[r].kind == MK_KIND_COUNT && C->res[r].included &&
		    rt_kind(L->rt[r]) != MK_KIND_COUNT) {
			/* a supported type left out (reported there) */
			unknown(L, o, "%s: '%s' is left out of the model", what,
				C->res[r].id);
			return MODEL_NONE;
		}
		cfn_err(C, R->tpl, node_or(v, R), "%s: '%s' is a %s, not %s",
			what, C->res[r].id, C->res[r].type, want);
		return MODEL_NONE;
	case REF_DEFAULT_SG:
		if (k == MK_SECURITY_GROUP && C->res[r].default_sg != CFN_NONE)
			return C->res[r].default_sg;
		break;
	case REF_DEFAULT_NACL:
		if (k == MK_NETWORK_ACL && C->res[r].default_nacl != CFN_NONE)
			return C->res[r].default_nacl;
		break;
	case REF_LITERAL:
		if (!bad_literal(L, R, what, v, k, lit))
			unknown(L, o,
				"%s: '%s' is not defined in the loaded "
				"templates",
				what, lit);
		return MODEL_NONE;
	case REF_UNKNOWN:
	case REF_BAD:
		return MODEL_NONE;
	}
	cfn_err(C, R->tpl, node_or(v, R), "%s: '%s' is not %s", what,
		cfn_show(C, v->s), want);
	return MODEL_NONE;
}

/* A list of references to objects of kind k; unresolved ones left out. */
static uint32_t *ref_list(struct cfn_loader *L, struct cfn_res *R,
			  struct model_obj *o, const char *what, struct cv *v,
			  enum model_kind k, const char *want, uint32_t *n)
{
	struct cv *l = list_of(L, R, o, what, v);
	*n = 0;
	if (!l)
		return NULL;
	uint32_t *out = arena_array(&L->m->arena, l->n, sizeof(*out));
	for (uint32_t i = 0; i < l->n; i++) {
		uint32_t x = ref_obj(L, R, o, what, l->items[i], k, want);
		if (x == MODEL_NONE)
			continue;
		bool dup = false;
		for (uint32_t j = 0; j < *n; j++)
			dup |= out[j] == x;
		if (!dup)
			out[(*n)++] = x;
	}
	return out;
}

/* The resource a reference names when it must be one of this loader's
 * resources of type rt (no model object of its own: subnet groups,
 * clusters, Elastic IPs); CFN_NONE otherwise. */
static uint32_t ref_res(struct cfn_loader *L, struct cfn_res *R,
			struct model_obj *o, const char *what, struct cv *v,
			enum rt want, const char *want_name)
{
	uint32_t r;
	const char *lit;
	enum ref_kind rk = get_ref(L, R, o, what, v, &r, &lit);
	if (rk == REF_RES && L->rt[r] == want)
		return r;
	if (rk == REF_RES || rk == REF_DEFAULT_SG || rk == REF_DEFAULT_NACL)
		cfn_err(L->C, R->tpl, node_or(v, R), "%s: '%s' is a %s, not %s",
			what, L->C->res[r].id, L->C->res[r].type, want_name);
	else if (rk == REF_LITERAL)
		unknown(L, o, "%s: '%s' is not defined in the loaded templates",
			what, lit);
	return CFN_NONE;
}

/* ---- growing lists ------------------------------------------------------ */

static void grow(struct cfn_loader *L, void **arr, uint32_t n, uint32_t *cap,
		 size_t size)
{
	if (n < *cap)
		return;
	uint32_t nc = *cap ? 2 * *cap : 4;
	void *fresh = arena_array(&L->m->arena, nc, size);
	if (n)
		memcpy(fresh, *arr, n * size);
	*arr = fresh;
	*cap = nc;
}

#define GROW(L, arr, n, cap)                                                   \
	grow((L), (void **)&(arr), (n), &(cap), sizeof(*(arr)))

/* ---- pass 1: classify --------------------------------------------------- */

static enum rt rt_of(const char *type, enum model_kind *kind,
		     const char **props)
{
	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		if (!strcmp(types[i].type, type)) {
			*kind = types[i].kind;
			*props = types[i].props;
			return types[i].rt;
		}
	*kind = MK_KIND_COUNT;
	*props = NULL;
	return T_OTHER;
}

static void check_props(struct cfn_loader *L, struct cfn_res *R,
			const char *props)
{
	if (!props || R->props->kind != CV_MAP)
		return;
	const char *names[64];
	char buf[1024], *save = NULL;
	size_t n = 0;
	snprintf(buf, sizeof(buf), "%s", props);
	for (char *w = strtok_r(buf, " ", &save); w && n < 64;
	     w = strtok_r(NULL, " ", &save))
		names[n++] = w;
	for (uint32_t i = 0; i < R->props->n; i++) {
		const char *k = R->props->keys[i];
		size_t j;
		for (j = 0; j < n; j++)
			if (!strcmp(names[j], k))
				break;
		if (j < n)
			continue;
		const char *near = util_closest(k, names, n);
		cfn_warn(L->C, R->tpl, R->props->key_nodes[i],
			 "%s has no property '%s' that vpcsim knows of%s%s%s",
			 R->type, k, near ? " (did you mean '" : "",
			 near ? near : "", near ? "'?)" : "");
	}
}

/* The VPC resource of a subnet resource reference, or CFN_NONE. */
static uint32_t vpc_of_subnet(struct cfn_loader *L, struct cv *v)
{
	uint32_t r;
	const char *attr;
	if (!v || v->kind != CV_STR || !cfn_token(v->s, &r, &attr) || attr ||
	    L->rt[r] != T_SUBNET)
		return CFN_NONE;
	struct cv *vpc = cv_get(L->C->res[r].props, "VpcId");
	if (!vpc || vpc->kind != CV_STR || !cfn_token(vpc->s, &r, &attr) ||
	    attr || L->rt[r] != T_VPC)
		return CFN_NONE;
	return r;
}

static uint32_t first_subnet_vpc(struct cfn_loader *L, struct cv *list)
{
	if (list && list->kind == CV_STR)
		return vpc_of_subnet(L, list);
	for (uint32_t i = 0; list && list->kind == CV_LIST && i < list->n;
	     i++) {
		uint32_t v = vpc_of_subnet(L, list->items[i]);
		if (v != CFN_NONE)
			return v;
	}
	return CFN_NONE;
}

static void need_default_sg(struct cfn_loader *L, uint32_t vpc)
{
	if (vpc != CFN_NONE)
		L->C->res[vpc].need_default_sg = true;
}

static const char *str_prop(struct cfn_res *R, const char *name)
{
	struct cv *v = prop(R, name);
	return v && v->kind == CV_STR && !strchr(v->s, CFN_TOK) ? v->s : NULL;
}

/*
 * The classify_* steps decide for one type whether resource r becomes an
 * object (true) or is left out with a warning (false), and note which
 * VPCs need an explicit default security group: a resource with no group
 * of its own gets its VPC's default one.  What is left out because the
 * input does not determine it is not analysed (a gap): a warning-level
 * finding in `check`, so no gate passes on it.
 */

/*
 * Whether the VPC that R's property key names is one of the model's.
 * Not when it is unknown (a parameter without a value, an import nobody
 * exports), outside the templates or itself not analysed: then R is not
 * analysed either.  An absent or wrong reference is kept for the fill
 * pass to report, as is an id EC2 refuses.
 */
static bool vpc_known(struct cfn_loader *L, struct cfn_res *R, const char *key)
{
	struct cfn *C = L->C;
	struct cv *v = prop(R, key);
	uint32_t r;
	const char *attr;
	if (!v || v->kind == CV_ERROR ||
	    (v->kind != CV_UNKNOWN && v->kind != CV_STR))
		return true;
	if (v->kind == CV_UNKNOWN) {
		gap_warn(L, R, "its %s is unknown (%s)", key, v->s);
		return false;
	}
	if (cfn_token(v->s, &r, &attr) && !attr) {
		if (L->rt[r] != T_VPC || C->res[r].kind == MK_VPC)
			return true;
		gap_warn(L, R, "its VPC '%s' is not analysed", C->res[r].id);
		return false;
	}
	if (strchr(v->s, CFN_TOK)) {
		gap_warn(L, R, "its %s '%s' is known only after deployment",
			 key, cfn_show(C, v->s));
		return false;
	}
	if (!bad_literal(L, R, key, v, MK_VPC, v->s))
		gap_warn(L, R, "its VPC '%s' is not in the loaded templates",
			 v->s);
	return false;
}

/* Whether R's block (property key) is literal text; when it is unknown
 * or comes from an IPAM pool at deployment, R is not analysed. */
static bool cidr_known(struct cfn_loader *L, struct cfn_res *R, const char *key)
{
	struct cv *v = prop(R, key);
	if (!v && prop(R, "Ipv4IpamPoolId")) {
		gap_warn(L, R, "its %s comes from an IPAM pool at deployment",
			 key);
		return false;
	}
	if (v && v->kind == CV_UNKNOWN) {
		gap_warn(L, R, "its %s is unknown (%s)", key, v->s);
		return false;
	}
	if (v && v->kind == CV_STR && strchr(v->s, CFN_TOK)) {
		gap_warn(L, R, "its %s '%s' is known only after deployment",
			 key, cfn_show(L->C, v->s));
		return false;
	}
	return true;
}

/* A subnet needs its VPC and its IPv4 block. */
static bool classify_subnet(struct cfn_loader *L, uint32_t r)
{
	struct cfn_res *R = &L->C->res[r];
	if (!vpc_known(L, R, "VpcId"))
		return false;
	if (!prop(R, "CidrBlock") && prop(R, "Ipv6Native")) {
		gap_warn(L, R, "it is IPv6-only, and vpcsim analyses IPv4");
		return false;
	}
	return cidr_known(L, R, "CidrBlock");
}

/* Gateway load balancers are not modelled; an ALB without groups takes
 * the default one. */
static bool classify_lb(struct cfn_loader *L, uint32_t r)
{
	struct cfn_res *R = &L->C->res[r];
	const char *t = str_prop(R, "Type");
	if (t && !strcmp(t, "gateway")) {
		cfn_warn(L->C, R->tpl, R->key,
			 "'%s' is a gateway load balancer, which vpcsim "
			 "does not model, and it can change verdicts: "
			 "traffic routed to its endpoints passes "
			 "appliances",
			 R->id);
		gap(L, R,
		    "it is a gateway load balancer, which vpcsim does not "
		    "model: traffic routed to its endpoints passes appliances");
		L->rt[r] = T_OTHER;
		return false;
	}
	if ((t && strcmp(t, "application")) || prop(R, "SecurityGroups"))
		return true;
	uint32_t vpc = first_subnet_vpc(L, prop(R, "Subnets"));
	struct cv *maps = prop(R, "SubnetMappings");
	if (vpc == CFN_NONE && maps && maps->kind == CV_LIST && maps->n)
		vpc = vpc_of_subnet(L, cv_get(maps->items[0], "SubnetId"));
	need_default_sg(L, vpc);
	return true;
}

/* Gateway and interface endpoints only (Gateway Load Balancer endpoints
 * are appliances); an interface without groups takes the default one. */
static bool classify_endpoint(struct cfn_loader *L, uint32_t r)
{
	struct cfn_res *R = &L->C->res[r];
	const char *t = str_prop(R, "VpcEndpointType");
	if (t && strcmp(t, "Gateway") && strcmp(t, "Interface")) {
		cfn_warn(L->C, R->tpl, R->key,
			 "'%s' is a %s endpoint, which vpcsim does not "
			 "model, and it can change verdicts: traffic "
			 "routed to it passes appliances (typically a "
			 "firewall)",
			 R->id, t);
		gap(L, R,
		    "it is a %s endpoint, which vpcsim does not model: "
		    "traffic routed to it passes appliances",
		    t);
		L->rt[r] = T_OTHER;
		return false;
	}
	if (!vpc_known(L, R, "VpcId"))
		return false;
	if (!t || strcmp(t, "Interface") || prop(R, "SecurityGroupIds"))
		return true;
	uint32_t vr;
	const char *attr;
	struct cv *v = prop(R, "VpcId");
	if (v && v->kind == CV_STR && cfn_token(v->s, &vr, &attr) && !attr &&
	    L->rt[vr] == T_VPC)
		need_default_sg(L, vr);
	return true;
}

/* awsvpc, bridge (the default on EC2) and host tasks are modelled; the
 * none mode has no network. */
static bool classify_task_def(struct cfn_loader *L, uint32_t r)
{
	struct cfn_res *R = &L->C->res[r];
	const char *mode = str_prop(R, "NetworkMode");
	if (!mode || !strcmp(mode, "awsvpc") || !strcmp(mode, "bridge") ||
	    !strcmp(mode, "host"))
		return true;
	cfn_warn(L->C, R->tpl, R->key,
		 "task definition '%s' uses network mode '%s', which has no "
		 "network to analyse: it and its services are left out",
		 R->id, mode);
	gap(L, R, "it uses network mode '%s', which has no network to analyse",
	    mode);
	return false;
}

/* A service of a task definition with no network (mode none) is left
 * out with it. */
static bool classify_service(struct cfn_loader *L, uint32_t r)
{
	struct cfn *C = L->C;
	struct cfn_res *R = &C->res[r];
	struct cv *td = prop(R, "TaskDefinition");
	uint32_t t;
	const char *attr;
	const char *mode = NULL;
	if (td && td->kind == CV_STR && cfn_token(td->s, &t, &attr) && !attr &&
	    L->rt[t] == T_TASK_DEF)
		mode = str_prop(&C->res[t], "NetworkMode");
	if (mode && strcmp(mode, "awsvpc") && strcmp(mode, "bridge") &&
	    strcmp(mode, "host")) {
		cfn_warn(C, R->tpl, R->key,
			 "service '%s' is left out: its task definition "
			 "'%s' uses network mode '%s'",
			 R->id, C->res[t].id, mode);
		gap(L, R,
		    "its task definition '%s' uses network mode '%s', which "
		    "has no network to analyse",
		    C->res[t].id, mode);
		return false;
	}
	struct cv *nc = prop(R, "NetworkConfiguration");
	struct cv *aw = cv_get(nc, "AwsvpcConfiguration");
	if (aw && !cv_get(aw, "SecurityGroups"))
		need_default_sg(L, first_subnet_vpc(L, cv_get(aw, "Subnets")));
	return true;
}

/* A database instance outside any subnet group is in the default VPC,
 * which the templates do not describe. */
static bool classify_db(struct cfn_loader *L, uint32_t r)
{
	struct cfn *C = L->C;
	struct cfn_res *R = &C->res[r];
	bool cluster_member = prop(R, "DBClusterIdentifier") ||
			      prop(R, "SourceDBInstanceIdentifier");
	/* Without DBSubnetGroupName it is in the default VPC: kept, and
	 * reported (VS024), never dropped. */
	const char *g =
	    L->rt[r] == T_DB ? "VPCSecurityGroups" : "VpcSecurityGroupIds";
	struct cv *sg = prop(R, "DBSubnetGroupName");
	uint32_t s;
	const char *attr;
	if (!prop(R, g) && !cluster_member && sg && sg->kind == CV_STR &&
	    cfn_token(sg->s, &s, &attr)) {
		/* the subnet group's type is known in pass 1 only for
		 * earlier resources; read its props directly */
		need_default_sg(L, first_subnet_vpc(L, cv_get(C->res[s].props,
							      "SubnetIds")));
	}
	return true;
}

/* An instance or interface without groups (and not attaching an existing
 * interface) takes the default one. */
static bool classify_host(struct cfn_loader *L, uint32_t r)
{
	struct cfn_res *R = &L->C->res[r];
	bool inst = L->rt[r] == T_INSTANCE;
	struct cv *nis = inst ? prop(R, "NetworkInterfaces") : NULL;
	struct cv *ni0 =
	    nis && nis->kind == CV_LIST && nis->n ? nis->items[0] : NULL;
	if (inst && !prop(R, "SubnetId") && !(nis && nis->kind == CV_LIST)) {
		gap_warn(L, R,
			 "without SubnetId it is in the region's default VPC, "
			 "which the templates do not describe");
		return false;
	}
	bool has_groups = inst ? prop(R, "SecurityGroupIds") ||
				     prop(R, "SecurityGroups") ||
				     cv_get(ni0, "GroupSet")
			       : prop(R, "GroupSet") != NULL;
	if (!has_groups && !cv_get(ni0, "NetworkInterfaceId"))
		need_default_sg(
		    L, vpc_of_subnet(L, prop(R, "SubnetId")
					    ? prop(R, "SubnetId")
					    : cv_get(ni0, "SubnetId")));
	return true;
}

/* A peering to a VPC outside the templates is not followed. */
static bool classify_peering(struct cfn_loader *L, uint32_t r)
{
	struct cfn *C = L->C;
	struct cfn_res *R = &C->res[r];
	if (!vpc_known(L, R, "VpcId"))
		return false;
	struct cv *p = prop(R, "PeerVpcId");
	uint32_t v;
	const char *attr;
	if (p && p->kind == CV_STR && cfn_token(p->s, &v, &attr) && !attr &&
	    L->rt[v] == T_VPC)
		return true;
	cfn_warn(C, R->tpl, R->key,
		 "peering '%s' leads to VPC %s, which the loaded "
		 "templates do not define; routes over it are "
		 "not followed",
		 R->id,
		 p && p->kind == CV_STR ? cfn_show(C, p->s) : "(unknown)");
	gap(L, R,
	    "it leads to VPC %s, which the loaded templates do not define",
	    p && p->kind == CV_STR ? cfn_show(C, p->s) : "(unknown)");
	return false;
}

/* A function joins a VPC only with a VpcConfig of subnets; otherwise it
 * runs outside every VPC and is skipped like any unmodelled type. */
static bool classify_function(struct cfn_loader *L, uint32_t r)
{
	struct cv *vc = prop(&L->C->res[r], "VpcConfig");
	if (cv_get(vc, "SubnetIds"))
		return true;
	L->rt[r] = T_OTHER;
	return false;
}

/* The resource a reference names when it is a token of one of this
 * loader's resources of type want (pass 1: no diagnostics), or CFN_NONE. */
static uint32_t token_res(struct cfn_loader *L, struct cv *v, enum rt want)
{
	uint32_t r;
	const char *attr;
	if (v && v->kind == CV_STR && cfn_token(v->s, &r, &attr) &&
	    L->rt[r] == want)
		return r;
	return CFN_NONE;
}

/*
 * The launch settings of an Auto Scaling group: the LaunchTemplateData of
 * its launch template (LaunchTemplate, or MixedInstancesPolicy's), or its
 * launch configuration's properties; *lt says which.  NULL when neither
 * is a resource of the loaded templates.  A launch template named by a
 * literal name is looked up by its LaunchTemplateName.
 */
static struct cv *launch_settings(struct cfn_loader *L, struct cfn_res *R,
				  bool *lt, uint32_t *res)
{
	struct cfn *C = L->C;
	*lt = false;
	*res =
	    token_res(L, prop(R, "LaunchConfigurationName"), T_LAUNCH_CONFIG);
	if (*res != CFN_NONE)
		return C->res[*res].props;
	struct cv *spec = prop(R, "LaunchTemplate");
	if (!spec)
		spec = cv_get(
		    cv_get(prop(R, "MixedInstancesPolicy"), "LaunchTemplate"),
		    "LaunchTemplateSpecification");
	*lt = true;
	for (int k = 0; k < 2 && spec; k++) {
		struct cv *v =
		    cv_get(spec, k ? "LaunchTemplateName" : "LaunchTemplateId");
		*res = token_res(L, v, T_LAUNCH_TEMPLATE);
		for (uint32_t t = 0;
		     *res == CFN_NONE && v && v->kind == CV_STR && t < C->n_res;
		     t++) {
			const char *name =
			    L->rt[t] == T_LAUNCH_TEMPLATE
				? str_prop(&C->res[t], "LaunchTemplateName")
				: NULL;
			if (name && !strcmp(name, v->s))
				*res = t;
		}
		if (*res != CFN_NONE)
			return cv_get(C->res[*res].props, "LaunchTemplateData");
	}
	return NULL;
}

/* The group list of launch settings: SecurityGroupIds, SecurityGroups,
 * or the primary interface's Groups; *what names the property. */
static struct cv *launch_groups(struct cv *ls, bool lt, const char **what)
{
	*what = "SecurityGroups";
	if (!lt)
		return cv_get(ls, "SecurityGroups");
	if (cv_get(ls, "SecurityGroupIds")) {
		*what = "LaunchTemplateData SecurityGroupIds";
		return cv_get(ls, "SecurityGroupIds");
	}
	if (cv_get(ls, "SecurityGroups")) {
		*what = "LaunchTemplateData SecurityGroups";
		return cv_get(ls, "SecurityGroups");
	}
	struct cv *nis = cv_get(ls, "NetworkInterfaces");
	*what = "LaunchTemplateData NetworkInterfaces Groups";
	return nis && nis->kind == CV_LIST && nis->n
		   ? cv_get(nis->items[0], "Groups")
		   : NULL;
}

/* An Auto Scaling group whose launch settings name no group takes the
 * default one of its subnets' VPC. */
static void classify_asg(struct cfn_loader *L, uint32_t r)
{
	struct cfn_res *R = &L->C->res[r];
	bool lt;
	uint32_t res;
	const char *what;
	struct cv *ls = launch_settings(L, R, &lt, &res);
	if (ls && !launch_groups(ls, lt, &what))
		need_default_sg(
		    L, first_subnet_vpc(L, prop(R, "VPCZoneIdentifier")));
}

/* EC2-Classic is gone: an ElastiCache cache security group, which only
 * served clusters outside a VPC, can no longer be created. */
static void refuse_classic(struct cfn_loader *L, struct cfn_res *R)
{
	if (strcmp(R->type, "AWS::ElastiCache::SecurityGroup"))
		return;
	cfn_err(L->C, R->tpl, R->key,
		"'%s' is an ElastiCache cache security group, which served "
		"clusters outside a VPC (EC2-Classic); AWS retired "
		"EC2-Classic in August 2023, so CloudFormation can no longer "
		"create one: give the cluster VpcSecurityGroupIds and a "
		"CacheSubnetGroupName instead",
		R->id);
}

/* Decides whether R becomes an object; warns when a supported type is
 * left out.  Notes which VPCs need an explicit default security group. */
static enum model_kind classify(struct cfn_loader *L, uint32_t r)
{
	struct cfn_res *R = &L->C->res[r];
	enum model_kind k;
	const char *props;
	L->rt[r] = rt_of(R->type, &k, &props);
	check_props(L, R, props);
	bool keep = true;
	switch (L->rt[r]) {
	case T_LB:
		keep = classify_lb(L, r);
		break;
	case T_ENDPOINT:
		keep = classify_endpoint(L, r);
		break;
	case T_TASK_DEF:
		keep = classify_task_def(L, r);
		break;
	case T_SERVICE:
		keep = classify_service(L, r);
		break;
	case T_DB:
	case T_DB_CLUSTER:
		keep = classify_db(L, r);
		break;
	case T_INSTANCE:
	case T_ENI:
		keep = classify_host(L, r);
		break;
	case T_PEERING:
		keep = classify_peering(L, r);
		break;
	case T_FUNCTION:
		keep = classify_function(L, r);
		break;
	case T_ASG:
		classify_asg(L, r);
		break;
	case T_CLB:
		if (!prop(R, "SecurityGroups"))
			need_default_sg(
			    L, first_subnet_vpc(L, prop(R, "Subnets")));
		break;
	case T_VPC:
		keep = cidr_known(L, R, "CidrBlock");
		break;
	case T_SUBNET:
		keep = classify_subnet(L, r);
		break;
	case T_ROUTE_TABLE:
	case T_NACL:
	case T_EIGW:
		keep = vpc_known(L, R, "VpcId");
		break;
	case T_OTHER:
		refuse_classic(L, R);
		break;
	default:
		break;
	}
	return keep ? k : MK_KIND_COUNT;
}

/* Why a resource of a type vpcsim does not model can change verdicts,
 * or NULL when it cannot. */
static bool is_function_in_vpc(struct cfn_res *R)
{
	return (!strcmp(R->type, "AWS::Lambda::Function") ||
		!strcmp(R->type, "AWS::Serverless::Function")) &&
	       prop(R, "VpcConfig");
}

/* The longest prefix of verdict_types that names the type wins. */
static const char *verdict_why(struct cfn_res *R)
{
	const char *why = NULL;
	size_t best = 0;
	for (size_t v = 0; v < ARRAY_LEN(verdict_types); v++) {
		const char *p = verdict_types[v].prefix;
		size_t n = strlen(p);
		if (!strncmp(R->type, p, n) && n > best) {
			best = n;
			why = verdict_types[v].why;
		}
	}
	if (is_function_in_vpc(R))
		return "a function with a VpcConfig is an endpoint in the VPC";
	return why;
}

/* The skipped-types note and the warnings for verdict-changing ones,
 * which are not analysed (gaps). */
static void report_skipped(struct cfn_loader *L)
{
	struct cfn *C = L->C;
	for (uint32_t t = 0; t < C->n_tpls; t++) {
		struct cfn_tpl *T = &C->tpls[t];
		const char *seen[256];
		uint32_t count[256], ns = 0, total = 0;
		for (uint32_t i = 0; i < T->n_res; i++) {
			uint32_t r = T->first_res + i;
			struct cfn_res *R = &C->res[r];
			if (!R->type || R->included != 1 || L->rt[r] != T_OTHER)
				continue;
			for (size_t v = 0; v < ARRAY_LEN(verdict_types); v++) {
				const char *p = verdict_types[v].prefix;
				if (strncmp(R->type, p, strlen(p)))
					continue;
				cfn_warn(
				    C, t, R->key,
				    "'%s' (%s) is not modelled, and it can "
				    "change verdicts: %s",
				    R->id, R->type, verdict_types[v].why);
			}
			const char *why = verdict_why(R);
			if (why)
				gap(L, R,
				    "%s is not modelled, and it can change "
				    "verdicts: %s",
				    R->type, why);
			if (!strcmp(R->type, "AWS::ElasticLoadBalancingV2::"
					     "LoadBalancer") ||
			    !strcmp(R->type, "AWS::EC2::VPCEndpoint"))
				continue; /* gateway kinds, warned */
			total++;
			uint32_t j;
			for (j = 0; j < ns; j++)
				if (!strcmp(seen[j], R->type))
					break;
			if (j == ns && ns < 256) {
				seen[ns] = R->type;
				count[ns++] = 0;
			}
			if (j < 256)
				count[j]++;
		}
		if (!total)
			continue;
		char buf[2048];
		size_t off = 0;
		for (uint32_t j = 0; j < ns && off < sizeof(buf); j++)
			off += (size_t)snprintf(
			    buf + off, sizeof(buf) - off,
			    count[j] > 1 ? "%s%s (%u)" : "%s%s", j ? ", " : "",
			    seen[j], count[j]);
		diag_add(
		    C->diags, DIAG_NOTE, T->file, 0, 0,
		    "skipped %u resource%s of types vpcsim does not model: "
		    "%s",
		    total, total == 1 ? "" : "s", buf);
	}
}

/* ---- pass 2: objects ---------------------------------------------------- */

static const char *fresh_id(struct cfn_loader *L, const char *base)
{
	struct cfn *C = L->C;
	const char *id = base;
	for (int i = 2;; i++) {
		bool taken = false;
		for (uint32_t r = 0; r < C->n_res && !taken; r++)
			taken = C->res[r].id && !strcmp(C->res[r].id, id);
		for (int k = 0; k < MK_KIND_COUNT && !taken; k++)
			for (uint32_t j = 0; j < L->m->n[k] && !taken; j++) {
				struct model_obj *o = model_object(L->m, k, j);
				taken = o->id && !strcmp(o->id, id);
			}
		if (!taken)
			return id;
		id = arena_printf(&L->m->arena, "%s-%d", base, i);
	}
}

/* Classifies every included resource and counts the objects of each
 * kind, giving each its index; a left-out resource keeps MK_KIND_COUNT.
 * VPCs first, so that what lies in a VPC knows whether the VPC is
 * analysed; each kind keeps the template order. */
static void count_objects(struct cfn_loader *L, uint32_t count[MK_KIND_COUNT])
{
	struct cfn *C = L->C;
	for (int sweep = 0; sweep < 2; sweep++)
		for (uint32_t r = 0; r < C->n_res; r++) {
			struct cfn_res *R = &C->res[r];
			if ((L->rt[r] == T_VPC) != (sweep == 0))
				continue;
			R->kind = MK_KIND_COUNT;
			if (R->type && R->included < 0 &&
			    (rt_kind(L->rt[r]) < MK_KIND_COUNT ||
			     L->rt[r] == T_CLUSTER ||
			     L->rt[r] == T_DB_SUBNETS || L->rt[r] == T_STACK)) {
				cfn_warn(C, R->tpl, R->key,
					 "'%s' is left out: its Condition is "
					 "unknown (%s)",
					 R->id, R->cond_why);
				gap(L, R,
				    "it exists only if its Condition holds, "
				    "which is unknown (%s)",
				    R->cond_why);
			}
			if (!R->type || R->included != 1)
				continue;
			enum model_kind k = classify(L, r);
			if (k < MK_KIND_COUNT) {
				R->kind = k;
				R->index = count[k]++;
			}
		}
}

/* VPC R's default security group, object i, made explicit: AWS's rules
 * are all traffic from members of the group, all traffic out. */
static void add_default_sg(struct cfn_loader *L, struct cfn_res *R, uint32_t i)
{
	struct model_security_group *g = &L->m->groups[i];
	g->obj = (struct model_obj){
	    .kind = MK_SECURITY_GROUP,
	    .index = i,
	    .loc = cfn_loc(L->C, R->tpl, R->key),
	    .implicit = true,
	};
	g->obj.id =
	    fresh_id(L, arena_printf(&L->m->arena, "%s-default-sg", R->id));
	g->vpc = R->index;
	g->vpc_default = true;
	g->description = "the VPC's default security group";
	g->ingress = arena_alloc(&L->m->arena, sizeof(*g->ingress));
	g->ingress[0] = (struct model_sg_rule){
	    .loc = g->obj.loc,
	    .number = 1,
	    .match = values_match_all,
	    .peer_kind = PEER_GROUP,
	    .peer = i,
	    .description = "default: all traffic from the group's members",
	    .implicit = true,
	};
	g->n_ingress = 1;
	g->default_egress = true;
	g->egress = arena_alloc(&L->m->arena, sizeof(*g->egress));
	g->egress[0] = values_sg_egress_all(g->obj.loc);
	g->n_egress = 1;
	R->default_sg = i;
}

/* VPC R's default network ACL, object i, made explicit (its rules come
 * later, default_acl_rules, into lists pass 4 may grow). */
static void add_default_nacl(struct cfn_loader *L, struct cfn_res *R,
			     uint32_t i)
{
	struct model_network_acl *a = &L->m->nacls[i];
	a->obj = (struct model_obj){
	    .kind = MK_NETWORK_ACL,
	    .index = i,
	    .loc = cfn_loc(L->C, R->tpl, R->key),
	    .implicit = true,
	};
	a->obj.id =
	    fresh_id(L, arena_printf(&L->m->arena, "%s-default-nacl", R->id));
	a->vpc = R->index;
	R->default_nacl = i;
}

/* Capacities of the lists pass 4 grows, from what they hold now. */
static void alloc_capacities(struct cfn_loader *L)
{
	struct model *m = L->m;
	L->cap_cidrs = xcalloc(m->n[MK_VPC] + 1, sizeof(uint32_t));
	L->cap_routes = xcalloc(m->n[MK_ROUTE_TABLE] + 1, sizeof(uint32_t));
	L->cap_in = xcalloc(m->n[MK_SECURITY_GROUP] + 1, sizeof(uint32_t));
	L->cap_out = xcalloc(m->n[MK_SECURITY_GROUP] + 1, sizeof(uint32_t));
	L->cap_nin = xcalloc(m->n[MK_NETWORK_ACL] + 1, sizeof(uint32_t));
	L->cap_nout = xcalloc(m->n[MK_NETWORK_ACL] + 1, sizeof(uint32_t));
	L->cap_listeners =
	    xcalloc(m->n[MK_LOAD_BALANCER] + 1, sizeof(uint32_t));
	L->cap_targets = xcalloc(m->n[MK_TARGET_GROUP] + 1, sizeof(uint32_t));
	L->route_count = xcalloc(m->n[MK_ROUTE_TABLE] + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < m->n[MK_SECURITY_GROUP]; i++) {
		L->cap_in[i] = m->groups[i].n_ingress;
		L->cap_out[i] = m->groups[i].n_egress;
	}
}

/* The default ACLs' rule 100 allows everything both ways (§5). */
static void default_acl_rules(struct cfn_loader *L)
{
	struct model *m = L->m;
	for (uint32_t i = 0; i < m->n[MK_NETWORK_ACL]; i++) {
		struct model_network_acl *a = &m->nacls[i];
		if (!a->obj.implicit)
			continue;
		for (int dir = 0; dir < 2; dir++) {
			struct model_nacl_rule **v =
			    dir ? &a->outbound : &a->inbound;
			uint32_t *n = dir ? &a->n_outbound : &a->n_inbound;
			uint32_t *cap = dir ? &L->cap_nout[i] : &L->cap_nin[i];
			GROW(L, *v, *n, *cap);
			(*v)[(*n)++] = values_nacl_allow_all(a->obj.loc);
		}
	}
}

/* Pass 2: the model's objects, one per kept resource, then the default
 * groups and ACLs the templates use, made explicit after them. */
static void allocate(struct cfn_loader *L)
{
	struct cfn *C = L->C;
	uint32_t count[MK_KIND_COUNT] = {0};
	count_objects(L, count);
	uint32_t first_sg = count[MK_SECURITY_GROUP];
	uint32_t first_acl = count[MK_NETWORK_ACL];
	for (uint32_t r = 0; r < C->n_res; r++) {
		struct cfn_res *R = &C->res[r];
		if (R->kind != MK_VPC)
			continue;
		count[MK_SECURITY_GROUP] += R->need_default_sg;
		count[MK_NETWORK_ACL] += R->need_default_nacl;
	}
	model_alloc_kinds(L->m, count);
	for (uint32_t r = 0; r < C->n_res; r++) {
		struct cfn_res *R = &C->res[r];
		if (R->kind == MK_KIND_COUNT)
			continue;
		struct model_obj *o = model_object(L->m, R->kind, R->index);
		o->id = R->id;
		o->kind = R->kind;
		o->index = R->index;
		o->loc = cfn_loc(C, R->tpl, R->key);
	}
	for (uint32_t r = 0; r < C->n_res; r++) {
		struct cfn_res *R = &C->res[r];
		if (R->kind == MK_VPC && R->need_default_sg)
			add_default_sg(L, R, first_sg++);
		if (R->kind == MK_VPC && R->need_default_nacl)
			add_default_nacl(L, R, first_acl++);
	}
	model_index_ids(L->m, C->diags);
	alloc_capacities(L);
	default_acl_rules(L);
}

/* ---- pass 3: objects that stand alone ----------------------------------- */

static void fill_tags(struct cfn_loader *L, struct cfn_res *R,
		      struct model_obj *o)
{
	struct cv *t = prop(R, "Tags");
	if (!t || t->kind != CV_LIST)
		return;
	o->tags = arena_array(&L->m->arena, t->n, sizeof(*o->tags));
	for (uint32_t i = 0; i < t->n; i++) {
		struct cv *k = cv_get(t->items[i], "Key");
		struct cv *v = cv_get(t->items[i], "Value");
		if (!k || !v || k->kind != CV_STR || v->kind != CV_STR)
			continue;
		o->tags[o->n_tags].key =
		    arena_strdup(&L->m->arena, cfn_show(L->C, k->s));
		o->tags[o->n_tags++].value =
		    arena_strdup(&L->m->arena, cfn_show(L->C, v->s));
	}
}

/* A property the model cannot do without: an error when absent. */
static struct cv *required(struct cfn_loader *L, struct cfn_res *R,
			   const char *name)
{
	struct cv *v = prop(R, name);
	if (!v)
		cfn_err(L->C, R->tpl, R->key, "%s '%s' needs %s", R->type,
			R->id, name);
	return v;
}

/* A VPC reference the object cannot exist without. */
static uint32_t required_vpc(struct cfn_loader *L, struct cfn_res *R,
			     struct model_obj *o, const char *name)
{
	struct cv *v = required(L, R, name);
	if (!v)
		return MODEL_NONE;
	uint32_t n_before = o->n_unknowns;
	uint32_t x = ref_obj(L, R, o, name, v, MK_VPC, "a VPC");
	if (x == MODEL_NONE && o->n_unknowns > n_before)
		cfn_err(L->C, R->tpl, node_or(v, R),
			"%s '%s': vpcsim needs to know its VPC, and %s",
			R->type, R->id, o->unknowns[o->n_unknowns - 1]);
	return x;
}

static void fill_vpc(struct cfn_loader *L, struct cfn_res *R,
		     struct model_vpc *v)
{
	v->internet_gateway = v->main_route_table = MODEL_NONE;
	v->default_nacl = R->default_nacl;
	GROW(L, v->cidrs, 0, L->cap_cidrs[R->index]);
	v->n_cidrs = 1;
	v->cidrs[0].len = 33; /* invalid unless read below */
	struct cv *c = required(L, R, "CidrBlock");
	if (c && !get_cidr(L, R, &v->obj, "CidrBlock", c, &v->cidrs[0])) {
		v->cidrs[0].len = 33;
		if (v->obj.n_unknowns)
			cfn_err(L->C, R->tpl, node_or(c, R),
				"VPC '%s': vpcsim needs its CidrBlock, and %s",
				R->id, v->obj.unknowns[v->obj.n_unknowns - 1]);
	}
}

static void fill_subnet(struct cfn_loader *L, struct cfn_res *R,
			struct model_subnet *s)
{
	s->route_table = s->nacl = MODEL_NONE;
	s->cidr.len = 33;
	s->vpc = required_vpc(L, R, &s->obj, "VpcId");
	struct cv *c = prop(R, "CidrBlock");
	if (!c && prop(R, "Ipv6Native"))
		cfn_err(L->C, R->tpl, R->key,
			"subnet '%s' is IPv6-only; vpcsim analyses IPv4",
			R->id);
	else if (required(L, R, "CidrBlock")) {
		s->cidr_loc = cfn_loc(L->C, R->tpl, node_or(c, R));
		if (!get_cidr(L, R, &s->obj, "CidrBlock", c, &s->cidr)) {
			s->cidr.len = 33;
			if (s->obj.n_unknowns)
				cfn_err(
				    L->C, R->tpl, node_or(c, R),
				    "subnet '%s': vpcsim needs its CidrBlock, "
				    "and %s",
				    R->id,
				    s->obj.unknowns[s->obj.n_unknowns - 1]);
		}
	}
	struct cv *az = prop(R, "AvailabilityZone");
	if (!az)
		az = prop(R, "AvailabilityZoneId");
	const char *a = text(L, R, &s->obj, "AvailabilityZone", az);
	s->az = a ? arena_strdup(&L->m->arena, a) : NULL;
	/* MapPublicIpOnLaunch defaults to false for subnets that are not a
	 * default VPC's. */
	get_bool(L, R, &s->obj, "MapPublicIpOnLaunch",
		 prop(R, "MapPublicIpOnLaunch"), &s->map_public_ip);
	struct cv *c6 = prop(R, "Ipv6CidrBlock");
	/* A block computed from the VPC's Amazon-provided one (!Cidr of
	 * VPC.Ipv6CidrBlocks) is known at deployment: the subnet has one,
	 * of unknown prefix (model.h, cidr6_unknown). */
	if (c6 && (c6->kind == CV_UNKNOWN ||
		   (c6->kind == CV_STR && strchr(c6->s, CFN_TOK))))
		s->cidr6_unknown = true;
	else if (c6 && get_cidr6(L, R, &s->obj, "Ipv6CidrBlock", c6, &s->cidr6))
		s->has_cidr6 = true;
	get_bool(L, R, &s->obj, "AssignIpv6AddressOnCreation",
		 prop(R, "AssignIpv6AddressOnCreation"), &s->assign_ipv6);
}

static void fill_sg_rule_list(struct cfn_loader *L, struct cfn_res *R,
			      struct model_security_group *g, bool ingress,
			      struct cv *list);

static void fill_sg(struct cfn_loader *L, struct cfn_res *R,
		    struct model_security_group *g)
{
	struct model *m = L->m;
	uint32_t i = R->index;
	g->vpc = MODEL_NONE;
	struct cv *v = prop(R, "VpcId");
	if (v)
		g->vpc = ref_obj(L, R, &g->obj, "VpcId", v, MK_VPC, "a VPC");
	const char *d = text(L, R, &g->obj, "GroupDescription",
			     prop(R, "GroupDescription"));
	g->description = d ? arena_strdup(&m->arena, d) : NULL;
	fill_sg_rule_list(L, R, g, true, prop(R, "SecurityGroupIngress"));
	struct cv *eg = prop(R, "SecurityGroupEgress");
	if (!eg || (eg->kind == CV_LIST && eg->n == 0)) {
		/* CloudFormation keeps AWS's allow-all egress unless the
		 * property lists rules (semantics §4); an empty list keeps
		 * it too. */
		g->default_egress = true;
		GROW(L, g->egress, g->n_egress, L->cap_out[i]);
		g->egress[g->n_egress++] = values_sg_egress_all(g->obj.loc);
	} else {
		fill_sg_rule_list(L, R, g, false, eg);
	}
}

/* IpProtocol and the port or ICMP fields of a rule. */
static bool sg_match(struct cfn_loader *L, struct cfn_res *R,
		     struct model_obj *o, const char *what, struct cv *map,
		     struct model_match *mt)
{
	char w[320];
	mt->port_lo = 0;
	mt->port_hi = 65535;
	mt->icmp_type = mt->icmp_code = -1;
	snprintf(w, sizeof(w), "%s IpProtocol", what);
	struct cv *pv = cv_get(map, "IpProtocol");
	if (!pv) {
		cfn_err(L->C, R->tpl, node_or(map, R), "%s needs IpProtocol",
			what);
		return false;
	}
	const char *p = text(L, R, o, w, pv);
	if (!p)
		return false;
	if (values_rule_proto(mt, p, &values_ec2_protos) < 0) {
		cfn_err(L->C, R->tpl, node_or(pv, R),
			"%s: unknown protocol '%s' (expected tcp, udp, "
			"icmp, icmpv6, -1 or a number 0-255)",
			what, p);
		return false;
	}
	if (mt->proto == PROTO_ALL || mt->proto == PROTO_OTHER)
		return true;
	long from = -1, to = -1;
	struct cv *fv = cv_get(map, "FromPort"), *tv = cv_get(map, "ToPort");
	char wf[320], wt[320];
	snprintf(wf, sizeof(wf), "%s FromPort", what);
	snprintf(wt, sizeof(wt), "%s ToPort", what);
	bool icmp = mt->proto == PROTO_ICMP || mt->proto == PROTO_ICMPV6;
	if ((fv && !get_int(L, R, o, wf, fv, -1, 65535, &from)) ||
	    (tv && !get_int(L, R, o, wt, tv, -1, 65535, &to)))
		return false;
	if (icmp) {
		/* FromPort is the ICMP type, ToPort the code; -1 any. */
		if (from > 255 || to > 255) {
			cfn_err(L->C, R->tpl, node_or(map, R),
				"%s: ICMP type and code are 0-255 or -1", what);
			return false;
		}
		mt->icmp_type = (int16_t)from;
		mt->icmp_code = from < 0 ? -1 : (int16_t)to;
		return true;
	}
	if (!fv || !tv) {
		cfn_err(L->C, R->tpl, node_or(map, R),
			"%s: %s rules need FromPort and ToPort", what,
			proto_name(mt->proto));
		return false;
	}
	if (from == -1 && to == -1)
		return true; /* all ports */
	if (from < 0 || to < 0 || from > to) {
		cfn_err(L->C, R->tpl, node_or(map, R),
			"%s: port range %ld-%ld is not valid", what, from, to);
		return false;
	}
	mt->port_lo = (uint16_t)from;
	mt->port_hi = (uint16_t)to;
	return true;
}

/*
 * One rule (inline or standalone) of group g from map; the peer keys
 * depend on the direction.  false when the rule is left out (an error or
 * an unknown, recorded on g).
 */
static bool sg_rule(struct cfn_loader *L, struct cfn_res *R,
		    struct model_security_group *g, bool ingress,
		    struct cv *map, const char *what, struct model_sg_rule *r)
{
	struct model_obj *o = &g->obj;
	r->peer = MODEL_NONE;
	if (!sg_match(L, R, o, what, map, &r->match))
		return false;
	static const char *const in_keys[] = {
	    "CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourcePrefixListId",
	    "SourceSecurityGroupName"};
	static const char *const out_keys[] = {"CidrIp", "CidrIpv6",
					       "DestinationSecurityGroupId",
					       "DestinationPrefixListId"};
	const char *const *keys = ingress ? in_keys : out_keys;
	size_t nk = ingress ? ARRAY_LEN(in_keys) : ARRAY_LEN(out_keys);
	int which = -1, given = 0;
	for (size_t k = 0; k < nk; k++)
		if (cv_get(map, keys[k])) {
			given++;
			which = (int)k;
		}
	if (given != 1) {
		char list[256] = "";
		size_t off = 0;
		for (size_t k = 0; k < nk && off < sizeof(list); k++)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
						"%s%s", k ? ", " : "", keys[k]);
		cfn_err(L->C, R->tpl, node_or(map, R),
			"%s needs exactly one of %s", what, list);
		return false;
	}
	struct cv *pv = cv_get(map, keys[which]);
	char w[320];
	snprintf(w, sizeof(w), "%s %s", what, keys[which]);
	struct cv *d = cv_get(map, "Description");
	if (d && d->kind == CV_STR)
		r->description =
		    arena_strdup(&L->m->arena, cfn_show(L->C, d->s));
	switch (which) {
	case 0:
		r->peer_kind = PEER_CIDR;
		return get_cidr(L, R, o, w, pv, &r->cidr);
	case 1:
		r->peer_kind = PEER_CIDR6;
		return get_cidr6(L, R, o, w, pv, &r->cidr6);
	case 2:
		r->peer_kind = PEER_GROUP;
		r->peer = ref_obj(L, R, o, w, pv, MK_SECURITY_GROUP,
				  "a security group");
		return r->peer != MODEL_NONE;
	case 3:
		r->peer_kind = PEER_PREFIX_LIST;
		r->peer =
		    ref_obj(L, R, o, w, pv, MK_PREFIX_LIST, "a prefix list");
		return r->peer != MODEL_NONE;
	default:
		unknown(
		    L, o,
		    "%s: groups named by SourceSecurityGroupName are in the "
		    "default VPC, which the templates do not describe",
		    w);
		return false;
	}
}

/* pos: the rule's place in the property's list, 0 for a standalone
 * resource. */
static void add_sg_rule(struct cfn_loader *L, struct cfn_res *R,
			struct model_security_group *g, bool ingress,
			struct cv *map, struct src_loc loc, uint32_t pos)
{
	uint32_t i = g->obj.index;
	struct model_sg_rule **v = ingress ? &g->ingress : &g->egress;
	uint32_t *n = ingress ? &g->n_ingress : &g->n_egress;
	uint32_t *cap = ingress ? &L->cap_in[i] : &L->cap_out[i];
	GROW(L, *v, *n, *cap);
	struct model_sg_rule *r = &(*v)[*n];
	memset(r, 0, sizeof(*r));
	r->loc = loc;
	/* An inline rule keeps its place in the template's list, also when
	 * an earlier one is left out (its CIDR unknown, say): messages call
	 * "rule 3" the rule the template lists third.  A standalone rule
	 * comes after every number in use. */
	uint32_t next = 1;
	for (uint32_t k = 0; k < *n; k++)
		if ((*v)[k].number >= next)
			next = (*v)[k].number + 1;
	r->number = pos ? pos : next;
	char what[256];
	if (pos)
		snprintf(what, sizeof(what), "%s rule %u",
			 ingress ? "SecurityGroupIngress"
				 : "SecurityGroupEgress",
			 pos);
	else
		snprintf(what, sizeof(what), "%s '%s'",
			 ingress ? "SecurityGroupIngress"
				 : "SecurityGroupEgress",
			 R->id);
	if (sg_rule(L, R, g, ingress, map, what, r))
		(*n)++;
}

static void fill_sg_rule_list(struct cfn_loader *L, struct cfn_res *R,
			      struct model_security_group *g, bool ingress,
			      struct cv *list)
{
	const char *name =
	    ingress ? "SecurityGroupIngress" : "SecurityGroupEgress";
	if (list && list->kind == CV_STR) {
		cfn_err(L->C, R->tpl, node_or(list, R),
			"%s must be a list of rules", name);
		return;
	}
	struct cv *l = list_of(L, R, &g->obj, name, list);
	for (uint32_t k = 0; l && k < l->n; k++) {
		struct cv *e = l->items[k];
		if (e->kind == CV_UNKNOWN) {
			unknown(L, &g->obj, "%s rule %u: %s", name, k + 1,
				e->s);
			continue;
		}
		if (!want_map(L, R, &g->obj, name, e))
			continue;
		add_sg_rule(L, R, g, ingress, e, cfn_loc(L->C, e->tpl, e->node),
			    k + 1);
	}
}

static void fill_nat(struct cfn_loader *L, struct cfn_res *R,
		     struct model_nat_gateway *g)
{
	g->subnet = ref_obj(L, R, &g->obj, "SubnetId",
			    required(L, R, "SubnetId"), MK_SUBNET, "a subnet");
	g->is_public = true;
	const char *ct = text(L, R, &g->obj, "ConnectivityType",
			      prop(R, "ConnectivityType"));
	if (ct && !strcmp(ct, "private"))
		g->is_public = false;
	else if (ct && strcmp(ct, "public"))
		cfn_err(L->C, R->tpl, node_or(prop(R, "ConnectivityType"), R),
			"ConnectivityType must be public or private, not '%s'",
			ct);
	struct cv *a = prop(R, "AllocationId");
	uint32_t r;
	const char *lit;
	if (a) {
		enum ref_kind k =
		    get_ref(L, R, &g->obj, "AllocationId", a, &r, &lit);
		/* An Elastic IP of the template, or one allocated outside
		 * it: either way the gateway has one. */
		g->has_eip =
		    k == REF_LITERAL || (k == REF_RES && L->rt[r] == T_EIP);
		if (k == REF_RES && L->rt[r] != T_EIP)
			cfn_err(L->C, R->tpl, node_or(a, R),
				"AllocationId: '%s' is a %s, not an Elastic IP",
				L->C->res[r].id, L->C->res[r].type);
	}
	struct cv *pa = prop(R, "PrivateIpAddress");
	if (pa)
		get_addr(L, R, &g->obj, "PrivateIpAddress", pa,
			 &g->private_addr);
}

static void fill_prefix_list(struct cfn_loader *L, struct cfn_res *R,
			     struct model_prefix_list *p)
{
	const char *n =
	    text(L, R, &p->obj, "PrefixListName", prop(R, "PrefixListName"));
	p->name = n ? arena_strdup(&L->m->arena, n) : NULL;
	const char *fam =
	    text(L, R, &p->obj, "AddressFamily", prop(R, "AddressFamily"));
	struct cv *e = list_of(L, R, &p->obj, "Entries", prop(R, "Entries"));
	if (!e)
		return;
	if (e->n > MODEL_MAX_CIDRS) {
		cfn_err(L->C, R->tpl, node_or(e, R),
			"Entries has %u CIDR blocks: more than the limit of %u",
			e->n, (unsigned)MODEL_MAX_CIDRS);
		return;
	}
	p->cidrs = arena_array(&L->m->arena, e->n, sizeof(*p->cidrs));
	for (uint32_t i = 0; i < e->n; i++) {
		struct cv *c = cv_get(e->items[i], "Cidr");
		char w[64];
		snprintf(w, sizeof(w), "Entries %u Cidr", i + 1);
		if (!c) {
			if (e->items[i]->kind == CV_UNKNOWN)
				unknown(L, &p->obj, "%s: %s", w,
					e->items[i]->s);
			else
				cfn_err(L->C, R->tpl, node_or(e->items[i], R),
					"a prefix list entry needs Cidr");
			continue;
		}
		if (fam && !strcmp(fam, "IPv6"))
			continue; /* vpcsim routes IPv4 */
		if (get_cidr(L, R, &p->obj, w, c, &p->cidrs[p->n_cidrs]))
			p->n_cidrs++;
	}
}

/*
 * The separate interface that instance resource R names as its primary
 * one (NetworkInterfaces, DeviceIndex 0, NetworkInterfaceId): the model
 * index of that network interface, or MODEL_NONE.  The instance's
 * SourceDestCheck is that interface's, and a route to the instance goes
 * to it (§3): a NAT instance is often written so (an interface with the
 * Elastic IP, the instance naming it).
 */
static uint32_t primary_eni(struct cfn_loader *L, struct cfn_res *R)
{
	struct cv *nis = prop(R, "NetworkInterfaces");
	for (uint32_t i = 0; nis && nis->kind == CV_LIST && i < nis->n; i++) {
		struct cv *ni = nis->items[i];
		const char *dev = ni->kind == CV_MAP
				      ? str_prop(&(struct cfn_res){.props = ni},
						 "DeviceIndex")
				      : NULL;
		uint32_t r;
		const char *lit;
		if (dev && !strcmp(dev, "0") &&
		    get_ref(L, R, NULL, "NetworkInterfaceId",
			    cv_get(ni, "NetworkInterfaceId"), &r,
			    &lit) == REF_RES &&
		    L->C->res[r].kind == MK_INSTANCE)
			return L->C->res[r].index;
	}
	return MODEL_NONE;
}

/* An interface's SourceDestCheck, as the instance that names it as its
 * primary interface sets it (primary_eni). */
static void primary_eni_check(struct cfn_loader *L, struct model_instance *h)
{
	for (uint32_t r = 0; r < L->C->n_res; r++) {
		struct cfn_res *I = &L->C->res[r];
		if (L->rt[r] == T_INSTANCE && prop(I, "SourceDestCheck") &&
		    primary_eni(L, I) == h->obj.index)
			get_bool(L, I, &h->obj, "SourceDestCheck",
				 prop(I, "SourceDestCheck"),
				 &h->source_dest_check);
	}
}

/* Ipv6AddressCount and Ipv6Addresses ([{Ipv6Address: ...}]) of an
 * instance or interface (§2): the first address given, else whether the
 * count asks for any. */
static void host_ipv6(struct cfn_loader *L, struct cfn_res *R,
		      struct model_instance *h, struct cv *count,
		      struct cv *list)
{
	long n;
	if (count &&
	    get_int(L, R, &h->obj, "Ipv6AddressCount", count, 0, 1000, &n))
		h->ipv6 = n ? IPV6_ON : IPV6_NONE;
	if (!list || list->kind != CV_LIST || !list->n)
		return;
	struct cv *a = list->items[0]->kind == CV_MAP
			   ? cv_get(list->items[0], "Ipv6Address")
			   : NULL;
	const char *s = text(L, R, &h->obj, "Ipv6Addresses Ipv6Address", a);
	char buf[CIDR6_STRLEN + 8];
	struct cidr6 c;
	if (!s)
		return;
	h->ipv6 = IPV6_ON;
	snprintf(buf, sizeof(buf), "%.*s/128", CIDR6_STRLEN - 1, s);
	if (cidr6_parse(&c, buf) == 0) {
		h->has_addr6 = true;
		memcpy(h->addr6, c.addr, 16);
	} else {
		cfn_err(L->C, R->tpl, node_or(a, R),
			"Ipv6Address must be an IPv6 address, not '%s'", s);
	}
}

/* Instances and bare network interfaces. */
static void fill_instance(struct cfn_loader *L, struct cfn_res *R,
			  struct model_instance *h, bool eni)
{
	h->subnet = MODEL_NONE;
	h->public_ip = -1;
	h->source_dest_check = true;
	h->is_interface = eni;
	struct cv *subnet = prop(R, "SubnetId");
	struct cv *groups =
	    eni ? prop(R, "GroupSet") : prop(R, "SecurityGroupIds");
	const char *gname = eni ? "GroupSet" : "SecurityGroupIds";
	struct cv *addr = prop(R, "PrivateIpAddress");
	struct cv *nis = eni ? NULL : prop(R, "NetworkInterfaces");
	if (nis && nis->kind == CV_LIST) {
		/* The primary interface (device 0) carries the instance's
		 * address; more interfaces are not modelled. */
		for (uint32_t i = 0; i < nis->n; i++) {
			struct cv *ni = nis->items[i];
			const char *dev =
			    ni->kind == CV_MAP
				? str_prop(&(struct cfn_res){.props = ni},
					   "DeviceIndex")
				: NULL;
			if (!dev || strcmp(dev, "0")) {
				unknown(
				    L, &h->obj,
				    "NetworkInterfaces %u: only the primary "
				    "interface (DeviceIndex 0) is modelled",
				    i + 1);
				continue;
			}
			if (cv_get(ni, "NetworkInterfaceId")) {
				/* A separate interface of the templates is
				 * modelled on its own, with this instance's
				 * SourceDestCheck, and routes to the instance
				 * lead to it (primary_eni): nothing is
				 * unknown.  Another one is not in the input. */
				if (primary_eni(L, R) == MODEL_NONE)
					unknown(
					    L, &h->obj,
					    "NetworkInterfaces: the primary "
					    "interface '%s' is not in the "
					    "loaded templates",
					    cfn_show_cv(
						L->C,
						cv_get(ni,
						       "NetworkInterfaceId")));
				continue;
			}
			if (cv_get(ni, "SubnetId"))
				subnet = cv_get(ni, "SubnetId");
			if (cv_get(ni, "GroupSet")) {
				groups = cv_get(ni, "GroupSet");
				gname = "NetworkInterfaces GroupSet";
			}
			if (cv_get(ni, "PrivateIpAddress"))
				addr = cv_get(ni, "PrivateIpAddress");
			if (cv_get(ni, "Ipv6AddressCount") ||
			    cv_get(ni, "Ipv6Addresses"))
				host_ipv6(L, R, h,
					  cv_get(ni, "Ipv6AddressCount"),
					  cv_get(ni, "Ipv6Addresses"));
			bool pub;
			if (get_bool(L, R, &h->obj, "AssociatePublicIpAddress",
				     cv_get(ni, "AssociatePublicIpAddress"),
				     &pub))
				h->public_ip = pub;
		}
	}
	if (!subnet) {
		if (!(nis && nis->kind == CV_LIST))
			cfn_err(
			    L->C, R->tpl, R->key,
			    "%s '%s' needs SubnetId: without it AWS uses the "
			    "default VPC, which the templates do not describe",
			    R->type, R->id);
		return;
	}
	h->subnet =
	    ref_obj(L, R, &h->obj, "SubnetId", subnet, MK_SUBNET, "a subnet");
	if (groups)
		h->groups =
		    ref_list(L, R, &h->obj, gname, groups, MK_SECURITY_GROUP,
			     "a security group", &h->n_groups);
	else if (!eni && prop(R, "SecurityGroups"))
		unknown(L, &h->obj,
			"SecurityGroups: groups by name belong to the default "
			"VPC, which the templates do not describe");
	else if (h->subnet != MODEL_NONE) {
		uint32_t vpc = L->m->subnets[h->subnet].vpc;
		for (uint32_t r = 0; r < L->C->n_res; r++)
			if (L->C->res[r].kind == MK_VPC &&
			    L->C->res[r].index == vpc &&
			    L->C->res[r].default_sg != CFN_NONE) {
				h->groups = arena_alloc(&L->m->arena,
							sizeof(*h->groups));
				h->groups[0] = L->C->res[r].default_sg;
				h->n_groups = 1;
			}
	}
	if (addr)
		get_addr(L, R, &h->obj, "PrivateIpAddress", addr,
			 &h->private_addr);
	get_bool(L, R, &h->obj, "SourceDestCheck", prop(R, "SourceDestCheck"),
		 &h->source_dest_check);
	if (prop(R, "Ipv6AddressCount") || prop(R, "Ipv6Addresses"))
		host_ipv6(L, R, h, prop(R, "Ipv6AddressCount"),
			  prop(R, "Ipv6Addresses"));
	if (eni)
		primary_eni_check(L, h);
}

/* The default security group of the VPC holding subnet s, as a one-item
 * list, when the loader made it explicit. */
static uint32_t *default_groups(struct cfn_loader *L, uint32_t vpc, uint32_t *n)
{
	*n = 0;
	for (uint32_t r = 0; vpc != MODEL_NONE && r < L->C->n_res; r++)
		if (L->C->res[r].kind == MK_VPC && L->C->res[r].index == vpc &&
		    L->C->res[r].default_sg != CFN_NONE) {
			uint32_t *g = arena_alloc(&L->m->arena, sizeof(*g));
			g[0] = L->C->res[r].default_sg;
			*n = 1;
			return g;
		}
	return NULL;
}

static uint32_t subnets_vpc(struct cfn_loader *L, const uint32_t *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (L->m->subnets[s[i]].vpc != MODEL_NONE)
			return L->m->subnets[s[i]].vpc;
	return MODEL_NONE;
}

static void fill_endpoint(struct cfn_loader *L, struct cfn_res *R,
			  struct model_vpc_endpoint *e)
{
	e->prefix_list = MODEL_NONE;
	e->vpc = required_vpc(L, R, &e->obj, "VpcId");
	const char *t =
	    text(L, R, &e->obj, "VpcEndpointType", prop(R, "VpcEndpointType"));
	e->type = t && !strcmp(t, "Interface") ? VPCE_INTERFACE : VPCE_GATEWAY;
	struct cv *sv = required(L, R, "ServiceName");
	const char *s = text(L, R, &e->obj, "ServiceName", sv);
	if (s) {
		/* com.amazonaws.REGION.NAME -> NAME; a PrivateLink name
		 * (com.amazonaws.vpce.REGION....) names no AWS service. */
		s = values_endpoint_service(s, true);
		e->service = arena_strdup(&L->m->arena, s);
		if (e->type == VPCE_GATEWAY && !values_gateway_service(s))
			cfn_err(L->C, R->tpl, node_or(sv, R),
				"gateway endpoints exist for s3 and dynamodb "
				"only, not '%s'",
				s);
	}
	if (e->type == VPCE_GATEWAY) {
		e->route_tables = ref_list(
		    L, R, &e->obj, "RouteTableIds", prop(R, "RouteTableIds"),
		    MK_ROUTE_TABLE, "a route table", &e->n_route_tables);
		return;
	}
	e->subnets = ref_list(L, R, &e->obj, "SubnetIds", prop(R, "SubnetIds"),
			      MK_SUBNET, "a subnet", &e->n_subnets);
	if (prop(R, "SecurityGroupIds"))
		e->groups =
		    ref_list(L, R, &e->obj, "SecurityGroupIds",
			     prop(R, "SecurityGroupIds"), MK_SECURITY_GROUP,
			     "a security group", &e->n_groups);
	else
		e->groups = default_groups(L, e->vpc, &e->n_groups);
	/* CloudFormation's default for PrivateDnsEnabled is false (the
	 * console's is true; the CDK writes it out). */
	get_bool(L, R, &e->obj, "PrivateDnsEnabled",
		 prop(R, "PrivateDnsEnabled"), &e->private_dns);
}

static void fill_peering(struct cfn_loader *L, struct cfn_res *R,
			 struct model_peering *p)
{
	p->requester = required_vpc(L, R, &p->obj, "VpcId");
	p->accepter = required_vpc(L, R, &p->obj, "PeerVpcId");
}

static bool lb_protocol(struct cfn_loader *L, struct cfn_res *R,
			struct model_obj *o, const char *what, struct cv *v,
			enum lb_protocol *out)
{
	const char *s = text(L, R, o, what, v);
	if (!s)
		return false;
	/* Upper case only, the words as CloudFormation lists them. */
	if (values_lb_protocol_parse(out, s, false) == 0)
		return true;
	if (!strcmp(s, "GENEVE"))
		return false;
	cfn_err(L->C, R->tpl, node_or(v, R),
		"%s must be " VALUES_LB_PROTOCOL_LIST ", not '%s'", what, s);
	return false;
}

/* A Key/Value attribute list's value for key, or NULL. */
static struct cv *attribute(struct cv *list, const char *key)
{
	for (uint32_t i = 0; list && list->kind == CV_LIST && i < list->n;
	     i++) {
		struct cv *k = cv_get(list->items[i], "Key");
		if (k && k->kind == CV_STR && !strcmp(k->s, key))
			return cv_get(list->items[i], "Value");
	}
	return NULL;
}

static void fill_lb(struct cfn_loader *L, struct cfn_res *R,
		    struct model_load_balancer *lb)
{
	const char *t = text(L, R, &lb->obj, "Type", prop(R, "Type"));
	lb->type = t && !strcmp(t, "network") ? LB_NETWORK : LB_APPLICATION;
	if (t && strcmp(t, "network") && strcmp(t, "application"))
		cfn_err(
		    L->C, R->tpl, node_or(prop(R, "Type"), R),
		    "Type must be application, network or gateway, not '%s'",
		    t);
	const char *ipt =
	    text(L, R, &lb->obj, "IpAddressType", prop(R, "IpAddressType"));
	lb->dualstack = ipt && !strncmp(ipt, "dualstack", 9);
	const char *sc = text(L, R, &lb->obj, "Scheme", prop(R, "Scheme"));
	lb->internet_facing = !sc || !strcmp(sc, "internet-facing");
	if (sc && strcmp(sc, "internet-facing") && strcmp(sc, "internal"))
		cfn_err(L->C, R->tpl, node_or(prop(R, "Scheme"), R),
			"Scheme must be internet-facing or internal, not '%s'",
			sc);
	struct cv *sm = prop(R, "SubnetMappings");
	if (prop(R, "Subnets")) {
		lb->subnets =
		    ref_list(L, R, &lb->obj, "Subnets", prop(R, "Subnets"),
			     MK_SUBNET, "a subnet", &lb->n_subnets);
	} else if (sm && sm->kind == CV_LIST) {
		lb->subnets =
		    arena_array(&L->m->arena, sm->n, sizeof(*lb->subnets));
		for (uint32_t i = 0; i < sm->n; i++) {
			uint32_t s =
			    ref_obj(L, R, &lb->obj, "SubnetMappings SubnetId",
				    cv_get(sm->items[i], "SubnetId"), MK_SUBNET,
				    "a subnet");
			if (s != MODEL_NONE)
				lb->subnets[lb->n_subnets++] = s;
		}
	} else {
		cfn_err(L->C, R->tpl, R->key,
			"load balancer '%s' needs Subnets or SubnetMappings",
			R->id);
	}
	if (prop(R, "SecurityGroups"))
		lb->groups = ref_list(
		    L, R, &lb->obj, "SecurityGroups", prop(R, "SecurityGroups"),
		    MK_SECURITY_GROUP, "a security group", &lb->n_groups);
	else if (lb->type == LB_APPLICATION)
		/* An ALB without groups gets the VPC's default group. */
		lb->groups = default_groups(
		    L, subnets_vpc(L, lb->subnets, lb->n_subnets),
		    &lb->n_groups);
	/* ALB cross-zone is always on; NLB's is off unless enabled (§8). */
	lb->cross_zone = lb->type == LB_APPLICATION;
	struct cv *cz = attribute(prop(R, "LoadBalancerAttributes"),
				  "load_balancing.cross_zone.enabled");
	bool b;
	if (cz && lb->type == LB_NETWORK &&
	    get_bool(L, R, &lb->obj, "load_balancing.cross_zone.enabled", cz,
		     &b))
		lb->cross_zone = b;
}

static void fill_tg(struct cfn_loader *L, struct cfn_res *R,
		    struct model_target_group *tg)
{
	tg->vpc = MODEL_NONE;
	struct cv *v = prop(R, "VpcId");
	if (v)
		tg->vpc = ref_obj(L, R, &tg->obj, "VpcId", v, MK_VPC, "a VPC");
	const char *tt =
	    text(L, R, &tg->obj, "TargetType", prop(R, "TargetType"));
	/* CloudFormation's default target type is instance. */
	tg->target_type = TT_INSTANCE;
	if (tt && !strcmp(tt, "ip"))
		tg->target_type = TT_IP;
	else if (tt && !strcmp(tt, "lambda"))
		tg->target_type = TT_LAMBDA;
	else if (tt && !strcmp(tt, "alb"))
		unknown(L, &tg->obj,
			"TargetType alb (a load balancer behind a "
			"load balancer) is not modelled");
	else if (tt && strcmp(tt, "instance"))
		cfn_err(L->C, R->tpl, node_or(prop(R, "TargetType"), R),
			"TargetType must be instance, ip, lambda or alb, not "
			"'%s'",
			tt);
	tg->protocol = LBP_HTTP;
	if (tg->target_type != TT_LAMBDA) {
		lb_protocol(L, R, &tg->obj, "Protocol",
			    required(L, R, "Protocol"), &tg->protocol);
		long port;
		if (get_int(L, R, &tg->obj, "Port", required(L, R, "Port"), 1,
			    65535, &port))
			tg->port = (uint16_t)port;
	}
	tg->health_check_protocol = tg->protocol;
	struct cv *hp = prop(R, "HealthCheckPort");
	const char *hs = text(L, R, &tg->obj, "HealthCheckPort", hp);
	long port;
	if (hs && strcmp(hs, "traffic-port") &&
	    get_int(L, R, &tg->obj, "HealthCheckPort", hp, 1, 65535, &port))
		tg->health_check_port = (uint16_t)port;
	if (prop(R, "HealthCheckProtocol"))
		lb_protocol(L, R, &tg->obj, "HealthCheckProtocol",
			    prop(R, "HealthCheckProtocol"),
			    &tg->health_check_protocol);
	const char *path =
	    text(L, R, &tg->obj, "HealthCheckPath", prop(R, "HealthCheckPath"));
	tg->health_check_path = path ? arena_strdup(&L->m->arena, path) : NULL;
	/* Client IP preservation defaults (ELB guide): on for instance
	 * targets and for UDP / TCP_UDP ip targets. */
	tg->preserve_client_ip = tg->target_type == TT_INSTANCE ||
				 tg->protocol == LBP_UDP ||
				 tg->protocol == LBP_TCP_UDP;
	struct cv *pc = attribute(prop(R, "TargetGroupAttributes"),
				  "preserve_client_ip.enabled");
	if (pc)
		get_bool(L, R, &tg->obj, "preserve_client_ip.enabled", pc,
			 &tg->preserve_client_ip);
	struct cv *ts = list_of(L, R, &tg->obj, "Targets", prop(R, "Targets"));
	for (uint32_t i = 0; ts && i < ts->n; i++) {
		struct cv *id = cv_get(ts->items[i], "Id");
		if (!id) {
			cfn_err(L->C, R->tpl, node_or(ts->items[i], R),
				"a target needs Id");
			continue;
		}
		GROW(L, tg->targets, tg->n_targets,
		     L->cap_targets[tg->obj.index]);
		struct model_tg_target *x = &tg->targets[tg->n_targets];
		memset(x, 0, sizeof(*x));
		x->loc = cfn_loc(L->C, R->tpl, node_or(ts->items[i], R));
		x->instance = MODEL_NONE;
		if (tg->target_type == TT_INSTANCE) {
			x->instance = ref_obj(L, R, &tg->obj, "Targets Id", id,
					      MK_INSTANCE, "an instance");
			if (x->instance == MODEL_NONE)
				continue;
		} else if (tg->target_type == TT_IP) {
			if (!get_addr(L, R, &tg->obj, "Targets Id", id,
				      &x->addr))
				continue;
		} else {
			continue;
		}
		struct cv *pv = cv_get(ts->items[i], "Port");
		if (pv && get_int(L, R, &tg->obj, "Targets Port", pv, 1, 65535,
				  &port))
			x->port = (uint16_t)port;
		tg->n_targets++;
	}
}

static void fill_task_def(struct cfn_loader *L, struct cfn_res *R,
			  struct model_task_definition *td)
{
	/* bridge is ECS's default network mode (on EC2; Fargate requires
	 * awsvpc, which its task definitions then say) */
	const char *mode = str_prop(R, "NetworkMode");
	td->network_mode = mode ? arena_strdup(&L->m->arena, mode) : "bridge";
	bool host = !strcmp(td->network_mode, "host");
	bool bridge = !strcmp(td->network_mode, "bridge");
	struct cv *cs = list_of(L, R, &td->obj, "ContainerDefinitions",
				prop(R, "ContainerDefinitions"));
	if (!cs)
		return;
	td->containers =
	    arena_array(&L->m->arena, cs->n, sizeof(*td->containers));
	for (uint32_t i = 0; i < cs->n; i++) {
		struct cv *c = cs->items[i];
		struct model_container *x = &td->containers[td->n_containers];
		const char *name =
		    text(L, R, &td->obj, "ContainerDefinitions Name",
			 cv_get(c, "Name"));
		if (!name) {
			if (!cv_get(c, "Name"))
				cfn_err(L->C, R->tpl, node_or(c, R),
					"a container definition needs Name");
			continue;
		}
		x->name = arena_strdup(&L->m->arena, name);
		struct cv *pm = list_of(L, R, &td->obj, "PortMappings",
					cv_get(c, "PortMappings"));
		x->ports = arena_array(&L->m->arena, pm ? pm->n : 0,
				       sizeof(*x->ports));
		for (uint32_t k = 0; pm && k < pm->n; k++) {
			long port;
			struct cv *cp = cv_get(pm->items[k], "ContainerPort");
			if (!cp || !get_int(L, R, &td->obj, "ContainerPort", cp,
					    1, 65535, &port))
				continue;
			struct model_port_mapping *p = &x->ports[x->n_ports++];
			p->port = (uint16_t)port;
			/* bridge: HostPort, absent or 0 dynamic; host: the
			 * container port (awsvpc: the interface's own) */
			long hp = 0;
			struct cv *hv = cv_get(pm->items[k], "HostPort");
			if (bridge && hv &&
			    get_int(L, R, &td->obj, "HostPort", hv, 0, 65535,
				    &hp))
				p->host_port = (uint16_t)hp;
			if (host)
				p->host_port = p->port;
			const char *proto =
			    text(L, R, &td->obj, "Protocol",
				 cv_get(pm->items[k], "Protocol"));
			p->proto = values_ecs_mapping_proto(proto);
		}
		td->n_containers++;
	}
}

/* ---- pass 3b: objects that read others ---------------------------------- */

static const char *cluster_key(struct cfn_loader *L, const char *s);

/* Whether a container of td (the one named container, or any when NULL)
 * maps port. */
static bool task_maps_port(const struct model_task_definition *td,
			   const char *container, uint16_t port)
{
	for (uint32_t c = 0; c < td->n_containers; c++) {
		const struct model_container *x = &td->containers[c];
		if (container && strcmp(x->name, container))
			continue;
		for (uint32_t p = 0; p < x->n_ports; p++)
			if (x->ports[p].port == port)
				return true;
	}
	return false;
}

/* One entry b of a service's LoadBalancers into x: a target group, a
 * container and its port.  false when it is left out (a classic load
 * balancer, or an error). */
static bool service_binding(struct cfn_loader *L, struct cfn_res *R,
			    struct model_service *s, struct cv *b,
			    struct model_lb_binding *x)
{
	struct cfn *C = L->C;
	x->loc = cfn_loc(C, R->tpl, node_or(b, R));
	if (cv_get(b, "LoadBalancerName")) {
		/* a classic load balancer: finish picks its group */
		x->classic_lb = ref_obj(L, R, &s->obj, "LoadBalancerName",
					cv_get(b, "LoadBalancerName"),
					MK_LOAD_BALANCER, "a load balancer");
		x->classic = x->classic_lb != MODEL_NONE;
		long p;
		const char *cn = text(L, R, &s->obj, "ContainerName",
				      cv_get(b, "ContainerName"));
		x->container = cn ? arena_strdup(&L->m->arena, cn) : NULL;
		if (!x->classic ||
		    !get_int(L, R, &s->obj, "ContainerPort",
			     cv_get(b, "ContainerPort"), 1, 65535, &p))
			return false;
		x->port = (uint16_t)p;
		if (L->m->lbs[x->classic_lb].type != LB_CLASSIC) {
			cfn_err(C, R->tpl, node_or(b, R),
				"LoadBalancerName: '%s' is not a classic load "
				"balancer; give TargetGroupArn",
				L->m->lbs[x->classic_lb].obj.id);
			return false;
		}
		return true;
	}
	x->target_group = ref_obj(L, R, &s->obj, "LoadBalancers TargetGroupArn",
				  cv_get(b, "TargetGroupArn"), MK_TARGET_GROUP,
				  "a target group");
	const char *cn =
	    text(L, R, &s->obj, "ContainerName", cv_get(b, "ContainerName"));
	x->container = cn ? arena_strdup(&L->m->arena, cn) : NULL;
	long n;
	if (x->target_group == MODEL_NONE ||
	    !get_int(L, R, &s->obj, "ContainerPort", cv_get(b, "ContainerPort"),
		     1, 65535, &n))
		return false;
	x->port = (uint16_t)n;
	if (s->task_definition == MODEL_NONE)
		return true;
	const struct model_task_definition *td =
	    &L->m->task_definitions[s->task_definition];
	if (!task_maps_port(td, x->container, x->port))
		cfn_err(C, R->tpl, node_or(b, R),
			"task definition '%s' maps no container port %u%s%s",
			td->obj.id, x->port,
			x->container ? " in container " : "",
			x->container ? x->container : "");
	return true;
}

/* NetworkConfiguration AwsvpcConfiguration: subnets, groups (the VPC's
 * default when none) and the public address.  false when it is missing
 * (an error: awsvpc tasks need it). */
static bool service_awsvpc(struct cfn_loader *L, struct cfn_res *R,
			   struct model_service *s)
{
	struct cfn *C = L->C;
	uint32_t unknowns = s->obj.n_unknowns;
	struct cv *aw =
	    want_map(L, R, &s->obj, "AwsvpcConfiguration",
		     cv_get(want_map(L, R, &s->obj, "NetworkConfiguration",
				     prop(R, "NetworkConfiguration")),
			    "AwsvpcConfiguration"));
	if (!aw) {
		/* An unknown configuration is recorded; a missing one is
		 * an error. */
		if (s->obj.n_unknowns == unknowns)
			cfn_err(C, R->tpl, R->key,
				"service '%s' needs NetworkConfiguration "
				"AwsvpcConfiguration: its tasks use awsvpc",
				R->id);
		return false;
	}
	s->subnets = ref_list(L, R, &s->obj, "Subnets", cv_get(aw, "Subnets"),
			      MK_SUBNET, "a subnet", &s->n_subnets);
	if (cv_get(aw, "SecurityGroups"))
		s->groups =
		    ref_list(L, R, &s->obj, "SecurityGroups",
			     cv_get(aw, "SecurityGroups"), MK_SECURITY_GROUP,
			     "a security group", &s->n_groups);
	else
		s->groups = default_groups(
		    L, subnets_vpc(L, s->subnets, s->n_subnets), &s->n_groups);
	const char *ap =
	    text(L, R, &s->obj, "AssignPublicIp", cv_get(aw, "AssignPublicIp"));
	s->assign_public_ip = ap && !strcmp(ap, "ENABLED");
	if (ap && strcmp(ap, "ENABLED") && strcmp(ap, "DISABLED"))
		cfn_err(C, R->tpl, node_or(cv_get(aw, "AssignPublicIp"), R),
			"AssignPublicIp must be ENABLED or DISABLED, not '%s'",
			ap);
	return true;
}

static const char *m_td_mode(const struct model *m, uint32_t td)
{
	const char *mode = m->task_definitions[td].network_mode;
	return mode ? mode : "awsvpc";
}

static void fill_service(struct cfn_loader *L, struct cfn_res *R,
			 struct model_service *s)
{
	struct cfn *C = L->C;
	s->task_definition = MODEL_NONE;
	s->desired_count = 1; /* CloudFormation's default */
	struct cv *cl = prop(R, "Cluster");
	uint32_t r;
	const char *lit;
	if (!cl)
		s->cluster = "default";
	else if (get_ref(L, R, &s->obj, "Cluster", cl, &r, &lit) == REF_RES)
		s->cluster = C->res[r].id;
	else if (lit)
		s->cluster = cluster_key(L, lit);
	s->task_definition = ref_obj(L, R, &s->obj, "TaskDefinition",
				     required(L, R, "TaskDefinition"),
				     MK_TASK_DEFINITION, "a task definition");
	long n;
	if (prop(R, "DesiredCount") &&
	    get_int(L, R, &s->obj, "DesiredCount", prop(R, "DesiredCount"), 0,
		    100000, &n))
		s->desired_count = (uint32_t)n;
	/* On EC2: launch type EC2, a capacity provider other than
	 * Fargate's, or tasks that are not awsvpc (Fargate runs awsvpc
	 * only). */
	const char *lt =
	    text(L, R, &s->obj, "LaunchType", prop(R, "LaunchType"));
	struct cv *cps = prop(R, "CapacityProviderStrategy");
	const char *cp0 =
	    cps && cps->kind == CV_LIST && cps->n
		? str_prop(&(struct cfn_res){.props = cps->items[0]},
			   "CapacityProvider")
		: NULL;
	bool td_awsvpc = s->task_definition == MODEL_NONE ||
			 !strcmp(m_td_mode(L->m, s->task_definition), "awsvpc");
	s->on_ec2 = (lt && !strcmp(lt, "EC2")) || !td_awsvpc ||
		    (cps && (!cp0 || strncmp(cp0, "FARGATE", 7)));
	if (td_awsvpc && !service_awsvpc(L, R, s))
		return;
	struct cv *lbs =
	    list_of(L, R, &s->obj, "LoadBalancers", prop(R, "LoadBalancers"));
	if (!lbs)
		return;
	s->bindings = arena_array(&L->m->arena, lbs->n, sizeof(*s->bindings));
	for (uint32_t i = 0; i < lbs->n; i++)
		if (service_binding(L, R, s, lbs->items[i],
				    &s->bindings[s->n_bindings]))
			s->n_bindings++;
}

/* Databases: RDS instances and clusters (Aurora instances are their
 * cluster's members: replica_of names the cluster, whose engine, port,
 * subnets and groups they share unless they set their own). */
static void fill_db(struct cfn_loader *L, struct cfn_res *R,
		    struct model_database *d)
{
	struct cfn *C = L->C;
	bool cluster = L->rt[R - C->res] == T_DB_CLUSTER;
	d->replica_of = MODEL_NONE;
	const char *e = text(L, R, &d->obj, "Engine", prop(R, "Engine"));
	d->engine = e ? arena_strdup(&L->m->arena, e) : NULL;
	long port;
	if (prop(R, "Port") &&
	    get_int(L, R, &d->obj, "Port", prop(R, "Port"), 1, 65535, &port))
		d->port = (uint16_t)port;
	struct cv *member = cluster ? NULL : prop(R, "DBClusterIdentifier");
	struct cv *src = cluster ? NULL : prop(R, "SourceDBInstanceIdentifier");
	if (member)
		d->replica_of = ref_obj(L, R, &d->obj, "DBClusterIdentifier",
					member, MK_DATABASE, "a DB cluster");
	else if (src)
		d->replica_of =
		    ref_obj(L, R, &d->obj, "SourceDBInstanceIdentifier", src,
			    MK_DATABASE, "a DB instance");
	if (!d->engine && d->replica_of == MODEL_NONE && !member && !src)
		cfn_err(C, R->tpl, R->key, "%s '%s' needs Engine", R->type,
			R->id);
	if (d->engine && !d->port && !model_engine_port(d->engine))
		unknown(L, &d->obj,
			"port: engine '%s' has no default port vpcsim knows; "
			"give Port",
			d->engine);
	if (d->engine && !strncmp(d->engine, "aurora", 6))
		d->family = DBF_AURORA;
	struct cv *sg = prop(R, "DBSubnetGroupName");
	/* Without a subnet group (and not a member or replica, which
	 * follow their source): the default VPC, publicly accessible
	 * unless PubliclyAccessible says false, for RDS (not Aurora)
	 * instances (RDS API reference, CreateDBInstance). */
	if (!sg && !member && !src) {
		d->default_vpc = true;
		d->publicly_accessible = d->family != DBF_AURORA;
	}
	if (sg) {
		uint32_t g = ref_res(L, R, &d->obj, "DBSubnetGroupName", sg,
				     T_DB_SUBNETS, "a DB subnet group");
		if (g != CFN_NONE)
			d->subnets = ref_list(
			    L, &C->res[g], &d->obj, "DBSubnetGroup SubnetIds",
			    cv_get(C->res[g].props, "SubnetIds"), MK_SUBNET,
			    "a subnet", &d->n_subnets);
	}
	const char *gk = cluster ? "VpcSecurityGroupIds" : "VPCSecurityGroups";
	if (prop(R, gk))
		d->groups =
		    ref_list(L, R, &d->obj, gk, prop(R, gk), MK_SECURITY_GROUP,
			     "a security group", &d->n_groups);
	else if (!member && !src)
		d->groups = default_groups(
		    L, subnets_vpc(L, d->subnets, d->n_subnets), &d->n_groups);
	/* With a DB subnet group, PubliclyAccessible defaults to false
	 * (RDS API reference, CreateDBInstance). */
	get_bool(L, R, &d->obj, "PubliclyAccessible",
		 prop(R, "PubliclyAccessible"), &d->publicly_accessible);
	get_bool(L, R, &d->obj, "MultiAZ", prop(R, "MultiAZ"), &d->multi_az);
	const char *nt =
	    text(L, R, &d->obj, "NetworkType", prop(R, "NetworkType"));
	d->dualstack = nt && !strcasecmp(nt, "DUAL");
	const char *az = text(L, R, &d->obj, "AvailabilityZone",
			      prop(R, "AvailabilityZone"));
	d->az = az ? arena_strdup(&L->m->arena, az) : NULL;
}

/* ---- pass 3c: fleets, classic load balancers, caches, file systems ------ */

/* The cluster a reference or a name stands for, as services and fleets
 * both name it: a cluster resource's id, also when named by its
 * ClusterName; else the name itself. */
static const char *cluster_key(struct cfn_loader *L, const char *s)
{
	struct cfn *C = L->C;
	uint32_t r;
	const char *attr;
	if (cfn_token(s, &r, &attr))
		return L->rt[r] == T_CLUSTER ? C->res[r].id : NULL;
	if (strchr(s, CFN_TOK))
		return NULL;
	for (uint32_t c = 0; c < C->n_res; c++) {
		const char *n = L->rt[c] == T_CLUSTER
				    ? str_prop(&C->res[c], "ClusterName")
				    : NULL;
		if (n && !strcmp(n, s))
			return C->res[c].id;
	}
	return arena_strdup(&L->m->arena, s);
}

/* ECS_CLUSTER=<cluster> in text (user data after Fn::Base64, Fn::Sub and
 * Fn::Join, which evaluation has applied): the cluster the instances
 * join, or NULL. */
static const char *text_cluster(struct cfn_loader *L, const char *s)
{
	const char *p = s ? strstr(s, "ECS_CLUSTER=") : NULL;
	if (!p)
		return NULL;
	p += strlen("ECS_CLUSTER=");
	char buf[256];
	size_t n = 0;
	if (*p == CFN_TOK) {
		const char *end = strchr(p + 1, CFN_TOK);
		if (!end || (size_t)(end - p + 1) >= sizeof(buf))
			return NULL;
		n = (size_t)(end - p + 1);
		memcpy(buf, p, n);
	} else {
		while (p[n] && !strchr(" \t\r\n\"'>;|&", p[n]) &&
		       p[n] != CFN_TOK && n + 1 < sizeof(buf)) {
			buf[n] = p[n];
			n++;
		}
	}
	buf[n] = '\0';
	return n ? cluster_key(L, buf) : NULL;
}

/* Whether user data runs cfn-init on resource `logical` (cfn-init ...
 * --resource NAME, or -r NAME): the resource's AWS::CloudFormation::Init
 * metadata then configures the instance. */
static bool runs_cfn_init(const char *ud, const char *logical)
{
	const char *p = ud ? strstr(ud, "cfn-init") : NULL;
	size_t n = strlen(logical);
	for (p = p ? strstr(p, logical) : NULL; p; p = strstr(p + 1, logical))
		if (!isalnum((unsigned char)p[-1]) &&
		    !isalnum((unsigned char)p[n]))
			return true;
	return false;
}

/*
 * The ECS cluster an Auto Scaling group's instances join as container
 * instances: ECS_CLUSTER= in the user data of its launch
 * settings S, else in S's AWS::CloudFormation::Init metadata (a command
 * that echoes it or a file /etc/ecs/ecs.config that holds it) when the
 * user data runs cfn-init on S, the way the ECS reference templates
 * write it.  NULL when neither says.
 */
static const char *launch_cluster(struct cfn_loader *L, uint32_t res,
				  struct cv *ud)
{
	const char *s = ud && ud->kind == CV_STR ? ud->s : NULL;
	const char *c = text_cluster(L, s);
	if (c || !runs_cfn_init(s, L->C->res[res].logical))
		return c;
	return text_cluster(L, cfn_metadata_text(L->C, res,
						 "AWS::CloudFormation::Init",
						 "ECS_CLUSTER="));
}

/* An Auto Scaling group: its subnets (VPCZoneIdentifier; with
 * AvailabilityZones only, the default VPC), the groups, public address
 * and user data of its launch template or configuration, and what it
 * registers with. */
static void fill_asg(struct cfn_loader *L, struct cfn_res *R,
		     struct model_fleet *f)
{
	struct cfn *C = L->C;
	f->role = FLEET_AUTOSCALING;
	f->public_ip = -1;
	if (prop(R, "VPCZoneIdentifier")) {
		f->subnets = ref_list(L, R, &f->obj, "VPCZoneIdentifier",
				      prop(R, "VPCZoneIdentifier"), MK_SUBNET,
				      "a subnet", &f->n_subnets);
	} else {
		f->default_vpc = true;
		unknown(L, &f->obj,
			"VPCZoneIdentifier: without it the instances are in "
			"the region's default VPC, which the templates do not "
			"describe");
	}
	f->target_groups = ref_list(L, R, &f->obj, "TargetGroupARNs",
				    prop(R, "TargetGroupARNs"), MK_TARGET_GROUP,
				    "a target group", &f->n_target_groups);
	f->load_balancers = ref_list(
	    L, R, &f->obj, "LoadBalancerNames", prop(R, "LoadBalancerNames"),
	    MK_LOAD_BALANCER, "a classic load balancer", &f->n_load_balancers);
	bool lt;
	uint32_t res;
	struct cv *ls = launch_settings(L, R, &lt, &res);
	if (!ls) {
		unknown(L, &f->obj,
			"%s: its launch template or configuration is not in "
			"the loaded templates, so its security groups and "
			"public address are not known",
			R->id);
		return;
	}
	struct cfn_res *S = &C->res[res];
	const char *what;
	struct cv *groups = launch_groups(ls, lt, &what);
	if (groups)
		f->groups =
		    ref_list(L, S, &f->obj, what, groups, MK_SECURITY_GROUP,
			     "a security group", &f->n_groups);
	else
		f->groups = default_groups(
		    L, subnets_vpc(L, f->subnets, f->n_subnets), &f->n_groups);
	struct cv *nis = lt ? cv_get(ls, "NetworkInterfaces") : NULL;
	struct cv *pub =
	    lt ? (nis && nis->kind == CV_LIST && nis->n
		      ? cv_get(nis->items[0], "AssociatePublicIpAddress")
		      : NULL)
	       : cv_get(ls, "AssociatePublicIpAddress");
	bool b;
	if (pub && get_bool(L, S, &f->obj, "AssociatePublicIpAddress", pub, &b))
		f->public_ip = b;
	f->ecs_cluster = launch_cluster(L, res, cv_get(ls, "UserData"));
}

/* A Lambda function's interfaces: VpcConfig's subnets and groups. */
static void fill_function(struct cfn_loader *L, struct cfn_res *R,
			  struct model_fleet *f)
{
	f->role = FLEET_FUNCTION;
	f->public_ip = 0;
	struct cv *vc = prop(R, "VpcConfig");
	f->subnets = ref_list(L, R, &f->obj, "VpcConfig SubnetIds",
			      cv_get(vc, "SubnetIds"), MK_SUBNET, "a subnet",
			      &f->n_subnets);
	f->groups = ref_list(L, R, &f->obj, "VpcConfig SecurityGroupIds",
			     cv_get(vc, "SecurityGroupIds"), MK_SECURITY_GROUP,
			     "a security group", &f->n_groups);
}

/* "HTTP", "https", "SSL" (TLS): a classic listener's protocols. */
static bool clb_protocol(struct cfn_loader *L, struct cfn_res *R,
			 struct model_obj *o, const char *what, struct cv *v,
			 enum lb_protocol *out)
{
	const char *s = text(L, R, o, what, v);
	if (!s)
		return false;
	static const struct {
		const char *name;
		enum lb_protocol p;
	} names[] = {{"HTTP", LBP_HTTP},
		     {"HTTPS", LBP_HTTPS},
		     {"TCP", LBP_TCP},
		     {"SSL", LBP_TLS}};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (!strcasecmp(s, names[i].name)) {
			*out = names[i].p;
			return true;
		}
	cfn_err(L->C, R->tpl, node_or(v, R),
		"%s must be HTTP, HTTPS, TCP or SSL, not '%s'", what, s);
	return false;
}

/* HealthCheck Target "HTTP:80/path", "TCP:22": its port and protocol. */
static void clb_health_check(struct cfn_loader *L, struct cfn_res *R,
			     struct model_load_balancer *lb)
{
	const char *t = text(L, R, &lb->obj, "HealthCheck Target",
			     cv_get(prop(R, "HealthCheck"), "Target"));
	const char *colon = t ? strchr(t, ':') : NULL;
	if (!colon)
		return;
	char proto[8];
	size_t n = (size_t)(colon - t);
	if (n >= sizeof(proto))
		return;
	memcpy(proto, t, n);
	proto[n] = '\0';
	long port = strtol(colon + 1, NULL, 10);
	if (port < 1 || port > 65535)
		return;
	lb->health_check_port = (uint16_t)port;
	lb->health_check_protocol = LBP_TCP;
	if (!strcasecmp(proto, "HTTP"))
		lb->health_check_protocol = LBP_HTTP;
	else if (!strcasecmp(proto, "HTTPS"))
		lb->health_check_protocol = LBP_HTTPS;
	else if (!strcasecmp(proto, "SSL"))
		lb->health_check_protocol = LBP_TLS;
}

/* A classic load balancer: listeners to instance ports, its instances,
 * groups (the VPC's default without), scheme, subnets and cross-zone
 * (off unless CrossZone says true, in CloudFormation). */
static void fill_clb(struct cfn_loader *L, struct cfn_res *R,
		     struct model_load_balancer *lb)
{
	lb->type = LB_CLASSIC;
	const char *sc = text(L, R, &lb->obj, "Scheme", prop(R, "Scheme"));
	lb->internet_facing = !sc || !strcmp(sc, "internet-facing");
	if (sc && strcmp(sc, "internet-facing") && strcmp(sc, "internal"))
		cfn_err(L->C, R->tpl, node_or(prop(R, "Scheme"), R),
			"Scheme must be internet-facing or internal, not '%s'",
			sc);
	if (prop(R, "Subnets"))
		lb->subnets =
		    ref_list(L, R, &lb->obj, "Subnets", prop(R, "Subnets"),
			     MK_SUBNET, "a subnet", &lb->n_subnets);
	else
		unknown(L, &lb->obj,
			"Subnets: without them the load balancer is in the "
			"region's default VPC, which the templates do not "
			"describe");
	if (prop(R, "SecurityGroups"))
		lb->groups = ref_list(
		    L, R, &lb->obj, "SecurityGroups", prop(R, "SecurityGroups"),
		    MK_SECURITY_GROUP, "a security group", &lb->n_groups);
	else
		lb->groups = default_groups(
		    L, subnets_vpc(L, lb->subnets, lb->n_subnets),
		    &lb->n_groups);
	get_bool(L, R, &lb->obj, "CrossZone", prop(R, "CrossZone"),
		 &lb->cross_zone);
	lb->instances =
	    ref_list(L, R, &lb->obj, "Instances", prop(R, "Instances"),
		     MK_INSTANCE, "an instance", &lb->n_instances);
	clb_health_check(L, R, lb);
	struct cv *ls =
	    list_of(L, R, &lb->obj, "Listeners", required(L, R, "Listeners"));
	lb->listeners =
	    arena_array(&L->m->arena, ls ? ls->n : 0, sizeof(*lb->listeners));
	for (uint32_t i = 0; ls && i < ls->n; i++) {
		struct cv *e = ls->items[i];
		struct model_listener *li = &lb->listeners[lb->n_listeners];
		memset(li, 0, sizeof(*li));
		li->loc = cfn_loc(L->C, R->tpl, node_or(e, R));
		li->default_action.target_group = MODEL_NONE;
		li->default_action.redirect_protocol = -1;
		long port, iport;
		if (!get_int(L, R, &lb->obj, "LoadBalancerPort",
			     cv_get(e, "LoadBalancerPort"), 1, 65535, &port) ||
		    !get_int(L, R, &lb->obj, "InstancePort",
			     cv_get(e, "InstancePort"), 1, 65535, &iport))
			continue;
		li->port = (uint16_t)port;
		li->instance_port = (uint16_t)iport;
		li->protocol = LBP_HTTP;
		clb_protocol(L, R, &lb->obj, "Protocol", cv_get(e, "Protocol"),
			     &li->protocol);
		li->instance_protocol = li->protocol;
		if (cv_get(e, "InstanceProtocol"))
			clb_protocol(L, R, &lb->obj, "InstanceProtocol",
				     cv_get(e, "InstanceProtocol"),
				     &li->instance_protocol);
		lb->n_listeners++;
	}
}

/* The subnets of an ElastiCache subnet group named by v. */
static void cache_subnets(struct cfn_loader *L, struct cfn_res *R,
			  struct model_database *d, struct cv *v)
{
	struct cfn *C = L->C;
	uint32_t g = CFN_NONE;
	/* by its name (CacheSubnetGroupName), as the CDK writes it */
	for (uint32_t t = 0;
	     v && v->kind == CV_STR && !strchr(v->s, CFN_TOK) && t < C->n_res;
	     t++) {
		const char *n =
		    L->rt[t] == T_CACHE_SUBNETS
			? str_prop(&C->res[t], "CacheSubnetGroupName")
			: NULL;
		if (n && !strcmp(n, v->s))
			g = t;
	}
	if (g == CFN_NONE)
		g = ref_res(L, R, &d->obj, "CacheSubnetGroupName", v,
			    T_CACHE_SUBNETS, "a cache subnet group");
	if (g == CFN_NONE)
		return;
	d->subnets = ref_list(L, &C->res[g], &d->obj, "SubnetIds",
			      cv_get(C->res[g].props, "SubnetIds"), MK_SUBNET,
			      "a subnet", &d->n_subnets);
}

/* An ElastiCache cluster or replication group: a data store on the
 * engine's port (6379 redis and valkey, 11211 memcached) in its subnet
 * group, never with a public address.  Without a subnet group it is in
 * the default VPC. */
static void fill_cache(struct cfn_loader *L, struct cfn_res *R,
		       struct model_database *d, bool group)
{
	d->family = DBF_CACHE;
	d->replica_of = MODEL_NONE;
	const char *e = text(L, R, &d->obj, "Engine", prop(R, "Engine"));
	if (!e && !group)
		required(L, R, "Engine");
	d->engine = arena_strdup(&L->m->arena, e ? e : "redis");
	long port;
	if (prop(R, "Port") &&
	    get_int(L, R, &d->obj, "Port", prop(R, "Port"), 1, 65535, &port))
		d->port = (uint16_t)port;
	if (!d->port && !model_engine_port(d->engine))
		unknown(L, &d->obj,
			"Engine '%s' has no default port vpcsim "
			"knows; give Port",
			d->engine);
	if (prop(R, "CacheSubnetGroupName"))
		cache_subnets(L, R, d, prop(R, "CacheSubnetGroupName"));
	else
		d->default_vpc = true;
	const char *gk = group ? "SecurityGroupIds" : "VpcSecurityGroupIds";
	if (prop(R, gk))
		d->groups =
		    ref_list(L, R, &d->obj, gk, prop(R, gk), MK_SECURITY_GROUP,
			     "a security group", &d->n_groups);
	else
		d->groups = default_groups(
		    L, subnets_vpc(L, d->subnets, d->n_subnets), &d->n_groups);
}

/* An EFS mount target: NFS (2049) in one subnet, under its groups. */
static void fill_efs(struct cfn_loader *L, struct cfn_res *R,
		     struct model_database *d)
{
	d->family = DBF_FILE_SYSTEM;
	d->replica_of = MODEL_NONE;
	d->engine = "efs";
	d->port = 2049;
	uint32_t s = ref_obj(L, R, &d->obj, "SubnetId",
			     required(L, R, "SubnetId"), MK_SUBNET, "a subnet");
	if (s != MODEL_NONE) {
		d->subnets = arena_alloc(&L->m->arena, sizeof(*d->subnets));
		d->subnets[0] = s;
		d->n_subnets = 1;
	}
	d->groups = ref_list(
	    L, R, &d->obj, "SecurityGroups", required(L, R, "SecurityGroups"),
	    MK_SECURITY_GROUP, "a security group", &d->n_groups);
}

/* Capacity providers: a cluster's Auto Scaling groups are its container
 * instances, whatever their user data says. */
static void capacity_clusters(struct cfn_loader *L)
{
	struct cfn *C = L->C;
	for (uint32_t r = 0; r < C->n_res; r++) {
		struct cfn_res *R = &C->res[r];
		if (!R->included || R->included < 0)
			continue;
		struct cv *cps = NULL;
		const char *cluster = NULL;
		if (L->rt[r] == T_CLUSTER) {
			cps = prop(R, "CapacityProviders");
			cluster = R->id;
		} else if (L->rt[r] == T_CLUSTER_CP) {
			cps = prop(R, "CapacityProviders");
			struct cv *cl = prop(R, "Cluster");
			cluster = cl && cl->kind == CV_STR
				      ? cluster_key(L, cl->s)
				      : NULL;
		}
		for (uint32_t i = 0;
		     cluster && cps && cps->kind == CV_LIST && i < cps->n;
		     i++) {
			uint32_t cp =
			    token_res(L, cps->items[i], T_CAPACITY_PROVIDER);
			if (cp == CFN_NONE)
				continue;
			uint32_t a =
			    token_res(L,
				      cv_get(cv_get(C->res[cp].props,
						    "AutoScalingGroupProvider"),
					     "AutoScalingGroupArn"),
				      T_ASG);
			if (a != CFN_NONE && C->res[a].kind == MK_FLEET)
				L->m->fleets[C->res[a].index].ecs_cluster =
				    cluster;
		}
	}
}

/* ---- pass 4: attachments ------------------------------------------------ */

static void attach_cidr(struct cfn_loader *L, struct cfn_res *R)
{
	uint32_t v = ref_obj(L, R, NULL, "VpcId", required(L, R, "VpcId"),
			     MK_VPC, "a VPC");
	if (v == MODEL_NONE)
		return;
	struct model_vpc *x = &L->m->vpcs[v];
	if (prop(R, "CidrBlock")) {
		GROW(L, x->cidrs, x->n_cidrs, L->cap_cidrs[v]);
		if (get_cidr(L, R, &x->obj, "VPCCidrBlock CidrBlock",
			     prop(R, "CidrBlock"), &x->cidrs[x->n_cidrs]))
			x->n_cidrs++;
	} else if (prop(R, "Ipv6CidrBlock")) {
		struct cidr6 c;
		if (get_cidr6(L, R, &x->obj, "VPCCidrBlock Ipv6CidrBlock",
			      prop(R, "Ipv6CidrBlock"), &c)) {
			struct cidr6 *n = arena_array(
			    &L->m->arena, x->n_cidrs6 + 1, sizeof(*n));
			if (x->n_cidrs6)
				memcpy(n, x->cidrs6, x->n_cidrs6 * sizeof(*n));
			n[x->n_cidrs6++] = c;
			x->cidrs6 = n;
		}
	} else if (prop(R, "Ipv4IpamPoolId")) {
		unknown(L, &x->obj,
			"VPCCidrBlock '%s': its block comes from an "
			"IPAM pool at deployment",
			R->id);
	} else {
		/* An IPv6 block AWS assigns at deployment (Amazon's, a BYOIP
		 * pool's or an IPAM pool's): the VPC has IPv6, of a prefix
		 * the template cannot know; model_finish gives it a
		 * stand-in (§2). */
		bool amazon = false;
		get_bool(L, R, &x->obj, "AmazonProvidedIpv6CidrBlock",
			 prop(R, "AmazonProvidedIpv6CidrBlock"), &amazon);
		if (amazon || prop(R, "Ipv6Pool") || prop(R, "Ipv6IpamPoolId"))
			x->ipv6_unknown = true;
	}
}

static void attach_gateway(struct cfn_loader *L, struct cfn_res *R)
{
	if (!prop(R, "InternetGatewayId"))
		return; /* a VPN gateway: warned as a skipped type */
	uint32_t v = ref_obj(L, R, NULL, "VpcId", required(L, R, "VpcId"),
			     MK_VPC, "a VPC");
	uint32_t g = ref_obj(L, R, v == MODEL_NONE ? NULL : &L->m->vpcs[v].obj,
			     "InternetGatewayId", prop(R, "InternetGatewayId"),
			     MK_INTERNET_GATEWAY, "an internet gateway");
	if (v == MODEL_NONE || g == MODEL_NONE) {
		skip(L, R);
		return;
	}
	struct model_internet_gateway *x = &L->m->igws[g];
	if (x->vpc != MODEL_NONE && x->vpc != v)
		cfn_err(L->C, R->tpl, R->key,
			"internet gateway '%s' is already attached to VPC '%s'",
			x->obj.id, L->m->vpcs[x->vpc].obj.id);
	else
		x->vpc = v;
}

static void attach_subnet(struct cfn_loader *L, struct cfn_res *R, bool acl)
{
	const char *key = acl ? "NetworkAclId" : "RouteTableId";
	uint32_t s = ref_obj(L, R, NULL, "SubnetId", required(L, R, "SubnetId"),
			     MK_SUBNET, "a subnet");
	if (s == MODEL_NONE) {
		skip(L, R); /* a subnet outside the model uses the table */
		return;
	}
	struct model_subnet *x = &L->m->subnets[s];
	uint32_t t = ref_obj(L, R, &x->obj, key, required(L, R, key),
			     acl ? MK_NETWORK_ACL : MK_ROUTE_TABLE,
			     acl ? "a network ACL" : "a route table");
	bool *explicit = acl ? &x->nacl_explicit : &x->route_table_explicit;
	uint32_t *cur = acl ? &x->nacl : &x->route_table;
	if (*explicit) {
		cfn_err(
		    L->C, R->tpl, R->key,
		    "subnet '%s' is already associated with %s '%s'", x->obj.id,
		    acl ? "network ACL" : "route table",
		    *cur == MODEL_NONE
			? "?"
			: model_object(
			      L->m, acl ? MK_NETWORK_ACL : MK_ROUTE_TABLE, *cur)
			      ->id);
		return;
	}
	/* An unknown table or ACL leaves the subnet on the VPC's main or
	 * default one, with the unknown recorded by ref_obj. */
	if (t == MODEL_NONE)
		return;
	*explicit = true;
	*cur = t;
}

/* Routes to targets vpcsim does not follow keep the transit kind: the
 * engine reports such a route as unknown, with this text. */
static void opaque_route(struct cfn_loader *L, struct model_route *rt,
			 const char *what)
{
	rt->target = RT_TRANSIT;
	rt->target_index = MODEL_NONE;
	rt->target_id = arena_strdup(&L->m->arena, what);
}

/* A route's destination into rt: exactly one of an IPv4 block, an IPv6
 * block or a prefix list.  false after an error. */
static bool route_destination(struct cfn_loader *L, struct cfn_res *R,
			      struct model_obj *o, const char *what,
			      struct model_route *rt)
{
	struct cv *d4 = prop(R, "DestinationCidrBlock");
	struct cv *d6 = prop(R, "DestinationIpv6CidrBlock");
	struct cv *dp = prop(R, "DestinationPrefixListId");
	if (!!d4 + !!d6 + !!dp != 1) {
		cfn_err(L->C, R->tpl, R->key,
			"route '%s' needs exactly one of DestinationCidrBlock, "
			"DestinationIpv6CidrBlock and DestinationPrefixListId",
			R->id);
		return false;
	}
	char w[300];
	snprintf(w, sizeof(w), "%s destination", what);
	if (d4 && !get_cidr(L, R, o, w, d4, &rt->dst))
		return false;
	if (d6) {
		rt->ipv6 = true;
		if (!get_cidr6(L, R, o, w, d6, &rt->dst6))
			return false;
	}
	if (dp) {
		rt->prefix_list =
		    ref_obj(L, R, o, w, dp, MK_PREFIX_LIST, "a prefix list");
		if (rt->prefix_list == MODEL_NONE)
			return false;
	}
	return true;
}

/* A route's target keys; those from RTK_TRANSIT_GATEWAY on lead to
 * objects vpcsim does not follow. */
enum route_target_key {
	RTK_GATEWAY,
	RTK_NAT_GATEWAY,
	RTK_EGRESS_ONLY,
	RTK_INSTANCE,
	RTK_INTERFACE,
	RTK_PEERING,
	RTK_TRANSIT_GATEWAY,
	RTK_VPC_ENDPOINT,
	RTK_CARRIER_GATEWAY,
	RTK_LOCAL_GATEWAY,
	RTK_CORE_NETWORK,
	RTK_COUNT
};

static const char *const route_target_keys[RTK_COUNT] = {
    [RTK_GATEWAY] = "GatewayId",
    [RTK_NAT_GATEWAY] = "NatGatewayId",
    [RTK_EGRESS_ONLY] = "EgressOnlyInternetGatewayId",
    [RTK_INSTANCE] = "InstanceId",
    [RTK_INTERFACE] = "NetworkInterfaceId",
    [RTK_PEERING] = "VpcPeeringConnectionId",
    [RTK_TRANSIT_GATEWAY] = "TransitGatewayId",
    [RTK_VPC_ENDPOINT] = "VpcEndpointId",
    [RTK_CARRIER_GATEWAY] = "CarrierGatewayId",
    [RTK_LOCAL_GATEWAY] = "LocalGatewayId",
    [RTK_CORE_NETWORK] = "CoreNetworkArn",
};

/* The one target key a route gives, or -1 after an error. */
static int route_target_key(struct cfn_loader *L, struct cfn_res *R)
{
	int which = -1, given = 0;
	for (int k = 0; k < RTK_COUNT; k++)
		if (prop(R, route_target_keys[k])) {
			given++;
			which = k;
		}
	if (given == 1)
		return which;
	cfn_err(L->C, R->tpl, R->key,
		"route '%s' needs exactly one target (GatewayId, "
		"NatGatewayId, ...), not %d",
		R->id, given);
	return -1;
}

/* A route to a template resource vpcsim does not follow (a transit
 * gateway, an endpoint, ...): kept opaque, with the kind in its name. */
static void route_to_unfollowed(struct cfn_loader *L, struct cfn_res *R,
				enum route_target_key which, uint32_t r,
				struct model_route *rt)
{
	static const char *const names[] = {
	    [RTK_TRANSIT_GATEWAY - RTK_TRANSIT_GATEWAY] = "transit gateway",
	    [RTK_VPC_ENDPOINT - RTK_TRANSIT_GATEWAY] = "VPC endpoint",
	    [RTK_CARRIER_GATEWAY - RTK_TRANSIT_GATEWAY] = "carrier gateway",
	    [RTK_LOCAL_GATEWAY - RTK_TRANSIT_GATEWAY] = "local gateway",
	    [RTK_CORE_NETWORK - RTK_TRANSIT_GATEWAY] = "core network"};
	struct cfn *C = L->C;
	const char *kind = names[which - RTK_TRANSIT_GATEWAY];
	if (which == RTK_VPC_ENDPOINT && L->rt[r] == T_OTHER) {
		struct cv *d4 = prop(R, "DestinationCidrBlock");
		cfn_warn(C, R->tpl, R->key,
			 "route '%s' sends %s to VPC endpoint '%s' (a "
			 "Gateway Load Balancer endpoint, typically a "
			 "firewall): vpcsim does not follow it, and "
			 "verdicts through this route are unknown",
			 R->id, d4 ? cfn_show_cv(C, d4) : "traffic",
			 C->res[r].id);
	}
	opaque_route(L, rt, arena_printf(&C->a, "%s (%s)", C->res[r].id, kind));
}

/* GatewayId or EgressOnlyInternetGatewayId: an internet gateway (egress
 * only or not), or a VPN gateway, kept opaque. */
static bool route_to_gateway(struct cfn_loader *L, struct cfn_res *R,
			     struct model_obj *o, const char *w, struct cv *tv,
			     uint32_t r, struct model_route *rt)
{
	struct cfn_res *T = &L->C->res[r];
	if (T->kind == MK_INTERNET_GATEWAY) {
		rt->target_index = T->index;
		rt->target =
		    L->m->igws[T->index].egress_only ? RT_EIGW : RT_IGW;
	} else if (!strcmp(T->type, "AWS::EC2::VPNGateway")) {
		opaque_route(L, rt,
			     arena_printf(&L->C->a, "%s (VPN gateway)", T->id));
	} else {
		rt->target_index = ref_obj(L, R, o, w, tv, MK_INTERNET_GATEWAY,
					   "an internet gateway");
		if (rt->target_index == MODEL_NONE)
			return false;
	}
	return true;
}

/* A route to a template resource the engine follows: a gateway, a NAT
 * gateway, an instance or interface, a peering.  false when the target
 * is not one (reported) and the route is left out. */
static bool route_to_followed(struct cfn_loader *L, struct cfn_res *R,
			      struct model_obj *o, const char *w, struct cv *tv,
			      enum route_target_key which, uint32_t r,
			      struct model_route *rt)
{
	struct cfn *C = L->C;
	switch (which) {
	case RTK_GATEWAY:
	case RTK_EGRESS_ONLY:
		return route_to_gateway(L, R, o, w, tv, r, rt);
	case RTK_NAT_GATEWAY:
		rt->target = RT_NAT;
		rt->target_index =
		    ref_obj(L, R, o, w, tv, MK_NAT_GATEWAY, "a NAT gateway");
		break;
	case RTK_INSTANCE:
	case RTK_INTERFACE:
		rt->target = RT_INSTANCE;
		rt->target_index = ref_obj(L, R, o, w, tv, MK_INSTANCE,
					   "an instance or interface");
		if (rt->target_index != MODEL_NONE &&
		    primary_eni(L, &C->res[r]) != MODEL_NONE)
			rt->target_index = primary_eni(L, &C->res[r]);
		break;
	case RTK_PEERING:
		if (C->res[r].kind != MK_PEERING && L->rt[r] == T_PEERING) {
			/* a peering to a VPC outside the templates */
			unknown(L, o,
				"%s: peering '%s' leads outside the "
				"loaded templates",
				w, C->res[r].id);
			opaque_route(
			    L, rt,
			    arena_printf(&C->a, "%s (peering)", C->res[r].id));
			return true;
		}
		rt->target = RT_PEERING;
		rt->target_index =
		    ref_obj(L, R, o, w, tv, MK_PEERING, "a peering connection");
		break;
	default:
		return true;
	}
	return rt->target_index != MODEL_NONE;
}

static void attach_route(struct cfn_loader *L, struct cfn_res *R)
{
	struct cfn *C = L->C;
	uint32_t t =
	    ref_obj(L, R, NULL, "RouteTableId", required(L, R, "RouteTableId"),
		    MK_ROUTE_TABLE, "a route table");
	if (t == MODEL_NONE) {
		if (prop(R, "RouteTableId"))
			cfn_warn(
			    C, R->tpl, R->key,
			    "route '%s' is ignored: its route table is not "
			    "one of the loaded templates",
			    R->id);
		skip(L, R);
		return;
	}
	struct model_route_table *tab = &L->m->route_tables[t];
	struct model_obj *o = &tab->obj;
	struct model_route rt = {
	    .loc = cfn_loc(C, R->tpl, R->key),
	    .prefix_list = MODEL_NONE,
	    .target_index = MODEL_NONE,
	    .via_endpoint = MODEL_NONE,
	};
	char what[256], w[300];
	snprintf(what, sizeof(what), "route '%s'", R->id);
	if (!route_destination(L, R, o, what, &rt))
		return;
	int which = route_target_key(L, R);
	if (which < 0)
		return;
	struct cv *tv = prop(R, route_target_keys[which]);
	snprintf(w, sizeof(w), "%s %s", what, route_target_keys[which]);
	uint32_t r;
	const char *lit;
	enum ref_kind rk = get_ref(L, R, o, w, tv, &r, &lit);
	if (rk == REF_UNKNOWN || rk == REF_BAD)
		return; /* left out; an unknown is recorded on the table */
	const char *shown = rk == REF_LITERAL ? lit : C->res[r].id;
	rt.target_id = arena_strdup(&L->m->arena, shown);
	if (rk == REF_LITERAL) {
		/* An object outside the templates: the route exists, and
		 * the engine reports flows over it as unknown.  Gateways
		 * that could make the subnet public or reach the internet
		 * make every verdict of the table uncertain. */
		if (which < RTK_TRANSIT_GATEWAY)
			unknown(
			    L, o,
			    "%s: '%s' is not defined in the loaded templates",
			    w, lit);
		opaque_route(L, &rt, lit);
	} else if (which >= RTK_TRANSIT_GATEWAY) {
		route_to_unfollowed(L, R, (enum route_target_key)which, r, &rt);
	} else if (!route_to_followed(L, R, o, w, tv,
				      (enum route_target_key)which, r, &rt)) {
		return;
	}
	GROW(L, tab->routes, tab->n_routes, L->cap_routes[t]);
	rt.number = ++L->route_count[t];
	tab->routes[tab->n_routes++] = rt;
}

static void attach_sg_rule(struct cfn_loader *L, struct cfn_res *R,
			   bool ingress)
{
	struct cv *gv = prop(R, "GroupId");
	if (!gv) {
		if (prop(R, "GroupName"))
			cfn_warn(
			    L->C, R->tpl, R->key,
			    "'%s' adds a rule to a group named by GroupName, "
			    "which is in the default VPC; it is ignored",
			    R->id);
		else
			required(L, R, "GroupId");
		return;
	}
	uint32_t r;
	const char *lit;
	enum ref_kind rk = get_ref(L, R, NULL, "GroupId", gv, &r, &lit);
	if (rk == REF_LITERAL &&
	    bad_literal(L, R, "GroupId", gv, MK_SECURITY_GROUP, lit))
		return;
	if (rk == REF_LITERAL) {
		cfn_warn(L->C, R->tpl, R->key,
			 "'%s' adds a rule to security group '%s', which the "
			 "loaded templates do not define; it is ignored",
			 R->id, lit);
		skip(L, R);
		return;
	}
	if (rk == REF_UNKNOWN) {
		cfn_warn(L->C, R->tpl, R->key,
			 "'%s' adds a rule to a security group the input does "
			 "not determine (%s); it is ignored",
			 R->id, cfn_show_cv(L->C, gv));
		skip(L, R);
		return;
	}
	uint32_t g = ref_obj(L, R, NULL, "GroupId", gv, MK_SECURITY_GROUP,
			     "a security group");
	if (g == MODEL_NONE) {
		skip(L, R);
		return;
	}
	add_sg_rule(L, R, &L->m->groups[g], ingress, R->props,
		    cfn_loc(L->C, R->tpl, R->key), 0);
}

/* An entry's rule number, action, direction (*egress) and block into x.
 * false after an error. */
static bool nacl_entry_head(struct cfn_loader *L, struct cfn_res *R,
			    struct model_obj *o, const char *what,
			    struct model_nacl_rule *x, bool *egress)
{
	struct cfn *C = L->C;
	long num;
	if (!get_int(L, R, o, "RuleNumber", required(L, R, "RuleNumber"), 1,
		     32766, &num))
		return false;
	x->number = (uint32_t)num;
	const char *act =
	    text(L, R, o, "RuleAction", required(L, R, "RuleAction"));
	if (!act)
		return false;
	if (!strcasecmp(act, "allow"))
		x->allow = true;
	else if (strcasecmp(act, "deny")) {
		cfn_err(C, R->tpl, node_or(prop(R, "RuleAction"), R),
			"RuleAction must be allow or deny, not '%s'", act);
		return false;
	}
	get_bool(L, R, o, "Egress", prop(R, "Egress"), egress);
	struct cv *c4 = prop(R, "CidrBlock"), *c6 = prop(R, "Ipv6CidrBlock");
	if (!!c4 == !!c6) {
		cfn_err(C, R->tpl, R->key,
			"%s needs exactly one of CidrBlock and Ipv6CidrBlock",
			what);
		return false;
	}
	if (c4 && !get_cidr(L, R, o, "CidrBlock", c4, &x->cidr))
		return false;
	if (c6) {
		x->ipv6 = true;
		if (!get_cidr6(L, R, o, "Ipv6CidrBlock", c6, &x->cidr6))
			return false;
	}
	return true;
}

/* PortRange of a tcp or udp entry (protocol number p) into mt.  false
 * after an error. */
static bool nacl_entry_ports(struct cfn_loader *L, struct cfn_res *R,
			     struct model_obj *o, const char *what, long p,
			     struct model_match *mt)
{
	struct cfn *C = L->C;
	struct cv *pr = want_map(L, R, o, "PortRange", prop(R, "PortRange"));
	long from, to;
	if (!pr) {
		if (!prop(R, "PortRange"))
			cfn_err(C, R->tpl, R->key,
				"%s: protocol %ld needs PortRange", what, p);
		return false;
	}
	if (!get_int(L, R, o, "PortRange From", cv_get(pr, "From"), 0, 65535,
		     &from) ||
	    !get_int(L, R, o, "PortRange To", cv_get(pr, "To"), 0, 65535,
		     &to)) {
		if (!cv_get(pr, "From") || !cv_get(pr, "To"))
			cfn_err(C, R->tpl, node_or(pr, R),
				"PortRange needs From and To");
		return false;
	}
	if (from > to) {
		cfn_err(C, R->tpl, node_or(pr, R),
			"PortRange %ld-%ld: From is greater than To", from, to);
		return false;
	}
	mt->port_lo = (uint16_t)from;
	mt->port_hi = (uint16_t)to;
	return true;
}

/* Protocol (a number, -1 for all) and its ports or ICMP type and code
 * into mt.  false after an error. */
static bool nacl_entry_match(struct cfn_loader *L, struct cfn_res *R,
			     struct model_obj *o, const char *what,
			     struct model_match *mt)
{
	long p;
	if (!get_int(L, R, o, "Protocol", required(L, R, "Protocol"), -1, 255,
		     &p))
		return false;
	*mt = (struct model_match){
	    PROTO_OTHER, (uint8_t)(p < 0 ? 0 : p), 0, 65535, -1, -1};
	mt->proto = values_proto_of_number(p);
	if (mt->proto == PROTO_TCP || mt->proto == PROTO_UDP)
		return nacl_entry_ports(L, R, o, what, p, mt);
	if (mt->proto == PROTO_ICMP || mt->proto == PROTO_ICMPV6) {
		struct cv *ic = want_map(L, R, o, "Icmp", prop(R, "Icmp"));
		long ty = -1, co = -1;
		if (ic && cv_get(ic, "Type"))
			get_int(L, R, o, "Icmp Type", cv_get(ic, "Type"), -1,
				255, &ty);
		if (ic && cv_get(ic, "Code"))
			get_int(L, R, o, "Icmp Code", cv_get(ic, "Code"), -1,
				255, &co);
		mt->icmp_type = (int16_t)ty;
		mt->icmp_code = ty < 0 ? -1 : (int16_t)co;
	}
	return true;
}

static void attach_nacl_entry(struct cfn_loader *L, struct cfn_res *R)
{
	struct cfn *C = L->C;
	uint32_t a =
	    ref_obj(L, R, NULL, "NetworkAclId", required(L, R, "NetworkAclId"),
		    MK_NETWORK_ACL, "a network ACL");
	if (a == MODEL_NONE) {
		if (prop(R, "NetworkAclId"))
			cfn_warn(C, R->tpl, R->key,
				 "entry '%s' is ignored: its network ACL is "
				 "not one of the loaded templates",
				 R->id);
		skip(L, R);
		return;
	}
	struct model_network_acl *acl = &L->m->nacls[a];
	struct model_obj *o = &acl->obj;
	struct model_nacl_rule x = {.loc = cfn_loc(C, R->tpl, R->key)};
	char what[256];
	snprintf(what, sizeof(what), "entry '%s'", R->id);
	bool egress = false;
	if (!nacl_entry_head(L, R, o, what, &x, &egress) ||
	    !nacl_entry_match(L, R, o, what, &x.match))
		return;
	struct model_nacl_rule **v = egress ? &acl->outbound : &acl->inbound;
	uint32_t *n = egress ? &acl->n_outbound : &acl->n_inbound;
	uint32_t *cap = egress ? &L->cap_nout[a] : &L->cap_nin[a];
	for (uint32_t i = 0; i < *n; i++)
		if ((*v)[i].number == x.number) {
			cfn_err(C, R->tpl, R->key,
				"network ACL '%s' already has %s rule %u (at "
				"%u:%u)",
				acl->obj.id,
				egress ? "an egress" : "an ingress", x.number,
				(*v)[i].loc.line, (*v)[i].loc.col);
			return;
		}
	GROW(L, *v, *n, *cap);
	(*v)[(*n)++] = x;
}

/* EIP InstanceId and EIPAssociation: the instance or interface holds an
 * Elastic IP. */
static void attach_eip(struct cfn_loader *L, struct cfn_res *R, bool assoc)
{
	struct cv *inst = prop(R, "InstanceId");
	if (!inst && assoc)
		inst = prop(R, "NetworkInterfaceId");
	if (!inst) {
		if (assoc)
			cfn_err(L->C, R->tpl, R->key,
				"'%s' needs InstanceId or NetworkInterfaceId",
				R->id);
		return;
	}
	uint32_t h = ref_obj(L, R, NULL, "InstanceId", inst, MK_INSTANCE,
			     "an instance or network interface");
	if (h != MODEL_NONE)
		L->m->instances[h].has_eip = true;
}

/* One action of a listener or rule: the terminal one of the list (by
 * Order, else as written); authenticate actions come before it. */
static void lb_action(struct cfn_loader *L, struct cfn_res *R,
		      struct model_load_balancer *lb, const char *what,
		      struct cv *list, struct model_lb_action *a)
{
	struct cfn *C = L->C;
	a->target_group = MODEL_NONE;
	a->redirect_protocol = -1;
	a->loc = cfn_loc(C, R->tpl, R->key);
	struct cv *l = list_of(L, R, &lb->obj, what, list);
	struct cv *best = NULL;
	long best_order = 0;
	const char *type = NULL;
	for (uint32_t i = 0; l && i < l->n; i++) {
		const char *t =
		    text(L, R, &lb->obj, "Type", cv_get(l->items[i], "Type"));
		if (!t || !strncmp(t, "authenticate-", 13))
			continue;
		long order = (long)i;
		struct cv *ov = cv_get(l->items[i], "Order");
		if (ov)
			get_int(L, R, &lb->obj, "Order", ov, 1, 50000, &order);
		if (!best || order > best_order) {
			best = l->items[i];
			best_order = order;
			type = t;
		}
	}
	if (!best) {
		if (l)
			cfn_err(
			    C, R->tpl, node_or(list, R),
			    "%s needs a forward, redirect or fixed-response "
			    "action",
			    what);
		return;
	}
	a->loc = cfn_loc(C, R->tpl, node_or(best, R));
	if (!strcmp(type, "forward")) {
		a->kind = LBA_FORWARD;
		struct cv *tg = cv_get(best, "TargetGroupArn");
		struct cv *fc = cv_get(best, "ForwardConfig");
		struct cv *tgs = cv_get(fc, "TargetGroups");
		if (!tg && tgs && tgs->kind == CV_LIST && tgs->n) {
			tg = cv_get(tgs->items[0], "TargetGroupArn");
			if (tgs->n > 1)
				unknown(
				    L, &lb->obj,
				    "%s forwards to %u target groups; vpcsim "
				    "follows the first only",
				    what, tgs->n);
		}
		if (!tg) {
			cfn_err(C, R->tpl, node_or(best, R),
				"a forward action needs TargetGroupArn or "
				"ForwardConfig");
			return;
		}
		a->target_group = ref_obj(L, R, &lb->obj, "TargetGroupArn", tg,
					  MK_TARGET_GROUP, "a target group");
	} else if (!strcmp(type, "redirect")) {
		a->kind = LBA_REDIRECT;
		a->status_code = 301;
		struct cv *rc = cv_get(best, "RedirectConfig");
		const char *port = text(L, R, &lb->obj, "RedirectConfig Port",
					cv_get(rc, "Port"));
		const char *proto =
		    text(L, R, &lb->obj, "RedirectConfig Protocol",
			 cv_get(rc, "Protocol"));
		const char *sc =
		    text(L, R, &lb->obj, "RedirectConfig StatusCode",
			 cv_get(rc, "StatusCode"));
		long p;
		if (port && strcmp(port, "#{port}") &&
		    get_int(L, R, &lb->obj, "RedirectConfig Port",
			    cv_get(rc, "Port"), 1, 65535, &p))
			a->redirect_port = (uint16_t)p;
		enum lb_protocol rp;
		if (proto && values_lb_protocol_parse(&rp, proto, false) == 0 &&
		    (rp == LBP_HTTP || rp == LBP_HTTPS))
			a->redirect_protocol = (int)rp;
		if (sc && !strcmp(sc, "HTTP_302"))
			a->status_code = 302;
	} else if (!strcmp(type, "fixed-response")) {
		a->kind = LBA_FIXED_RESPONSE;
		a->status_code = 200;
		long sc;
		struct cv *fr = cv_get(best, "FixedResponseConfig");
		if (cv_get(fr, "StatusCode") &&
		    get_int(L, R, &lb->obj, "FixedResponseConfig StatusCode",
			    cv_get(fr, "StatusCode"), 200, 599, &sc))
			a->status_code = (uint16_t)sc;
	} else {
		cfn_err(C, R->tpl, node_or(best, R),
			"unknown action type '%s' (expected forward, redirect, "
			"fixed-response or authenticate-*)",
			type);
	}
}

/*
 * A listener or listener rule R whose owner (what) is outside the model:
 * it is ignored, and the target groups its actions (key) forward to say
 * that traffic they receive from it is unknown, rather than the rule
 * vanishing.
 */
static void forward_unknown(struct cfn_loader *L, struct cfn_res *R,
			    const char *key, const char *what)
{
	struct cfn *C = L->C;
	bool rule = L->rt[R - C->res] == T_LISTENER_RULE;
	cfn_warn(C, R->tpl, R->key,
		 "%s '%s' is ignored: %s is not one of the loaded templates",
		 rule ? "listener rule" : "listener", R->id, what);
	skip(L, R);
	struct cv *l = prop(R, key);
	for (uint32_t i = 0; l && l->kind == CV_LIST && i < l->n; i++) {
		struct cv *a = l->items[i];
		struct cv *tgs =
		    cv_get(cv_get(a, "ForwardConfig"), "TargetGroups");
		uint32_t n = tgs && tgs->kind == CV_LIST ? tgs->n : 0;
		for (uint32_t k = 0; k <= n; k++) {
			struct cv *tg =
			    k < n ? cv_get(tgs->items[k], "TargetGroupArn")
				  : cv_get(a, "TargetGroupArn");
			uint32_t r;
			const char *attr;
			if (!tg || tg->kind != CV_STR ||
			    !cfn_token(tg->s, &r, &attr) || attr ||
			    C->res[r].kind != MK_TARGET_GROUP)
				continue;
			model_add_unknown(
			    L->m, obj_of(L, &C->res[r]),
			    "%s '%s' forwards here, and %s is not one of the "
			    "loaded templates",
			    rule ? "listener rule" : "listener", R->id, what);
		}
	}
}

static void attach_listener(struct cfn_loader *L, uint32_t r)
{
	struct cfn *C = L->C;
	struct cfn_res *R = &C->res[r];
	uint32_t b = ref_obj(L, R, NULL, "LoadBalancerArn",
			     required(L, R, "LoadBalancerArn"),
			     MK_LOAD_BALANCER, "a load balancer");
	if (b == MODEL_NONE) {
		if (prop(R, "LoadBalancerArn"))
			forward_unknown(L, R, "DefaultActions",
					"its load balancer");
		return;
	}
	struct model_load_balancer *lb = &L->m->lbs[b];
	struct model_listener li = {.loc = cfn_loc(C, R->tpl, R->key)};
	long port;
	if (!get_int(L, R, &lb->obj, "Port", required(L, R, "Port"), 1, 65535,
		     &port))
		return;
	li.port = (uint16_t)port;
	li.protocol = lb->type == LB_APPLICATION ? LBP_HTTP : LBP_TCP;
	if (prop(R, "Protocol") &&
	    lb_protocol(L, R, &lb->obj, "Protocol", prop(R, "Protocol"),
			&li.protocol)) {
		bool l7 = li.protocol == LBP_HTTP || li.protocol == LBP_HTTPS;
		if (l7 != (lb->type == LB_APPLICATION))
			cfn_err(C, R->tpl, node_or(prop(R, "Protocol"), R),
				"%s load balancers take %s listeners, not %s",
				lb->type == LB_APPLICATION ? "application"
							   : "network",
				lb->type == LB_APPLICATION
				    ? "HTTP or HTTPS"
				    : "TCP, TLS, UDP or TCP_UDP",
				lb_protocol_name(li.protocol));
	}
	lb_action(L, R, lb, "DefaultActions", required(L, R, "DefaultActions"),
		  &li.default_action);
	for (uint32_t j = 0; j < lb->n_listeners; j++)
		if (lb->listeners[j].port == li.port) {
			cfn_err(C, R->tpl, R->key,
				"load balancer '%s' already listens on port %u "
				"(at %u:%u)",
				lb->obj.id, li.port, lb->listeners[j].loc.line,
				lb->listeners[j].loc.col);
			return;
		}
	GROW(L, lb->listeners, lb->n_listeners, L->cap_listeners[b]);
	L->li_lb[r] = b;
	L->li_idx[r] = lb->n_listeners;
	lb->listeners[lb->n_listeners++] = li;
}

static void attach_listener_rule(struct cfn_loader *L, struct cfn_res *R)
{
	struct cfn *C = L->C;
	uint32_t lr =
	    ref_res(L, R, NULL, "ListenerArn", required(L, R, "ListenerArn"),
		    T_LISTENER, "a listener");
	if (lr == CFN_NONE || L->li_lb[lr] == CFN_NONE) {
		if (prop(R, "ListenerArn"))
			forward_unknown(L, R, "Actions", "its listener");
		return;
	}
	struct model_load_balancer *lb = &L->m->lbs[L->li_lb[lr]];
	struct model_listener *li = &lb->listeners[L->li_idx[lr]];
	struct model_listener_rule x = {.loc = cfn_loc(C, R->tpl, R->key)};
	long prio;
	if (!get_int(L, R, &lb->obj, "Priority", required(L, R, "Priority"), 1,
		     50000, &prio))
		return;
	x.priority = (uint32_t)prio;
	for (uint32_t j = 0; j < li->n_rules; j++)
		if (li->rules[j].priority == x.priority) {
			cfn_err(
			    C, R->tpl, R->key,
			    "listener '%s' already has a rule of priority %u "
			    "(at %u:%u)",
			    C->res[lr].id, x.priority, li->rules[j].loc.line,
			    li->rules[j].loc.col);
			return;
		}
	struct cv *conds =
	    list_of(L, R, &lb->obj, "Conditions", required(L, R, "Conditions"));
	for (uint32_t i = 0; conds && i < conds->n; i++) {
		struct cv *c = conds->items[i];
		const char *f = text(L, R, &lb->obj, "Conditions Field",
				     cv_get(c, "Field"));
		if (!f)
			continue;
		bool path = !strcmp(f, "path-pattern");
		bool host = !strcmp(f, "host-header");
		if (!path && !host) {
			unknown(L, &lb->obj,
				"listener rule '%s': condition '%s' is not "
				"modelled, so the rule is taken to match "
				"regardless of it",
				R->id, f);
			continue;
		}
		struct cv *vals = cv_get(c, "Values");
		struct cv *cfg =
		    cv_get(c, path ? "PathPatternConfig" : "HostHeaderConfig");
		if (!vals)
			vals = cv_get(cfg, "Values");
		struct cv *vl =
		    list_of(L, R, &lb->obj, "Conditions Values", vals);
		for (uint32_t k = 0; vl && k < vl->n; k++) {
			const char *s = text(L, R, &lb->obj,
					     "Conditions Values", vl->items[k]);
			if (!s)
				continue;
			const char ***arr = path ? &x.paths : &x.hosts;
			uint32_t *n = path ? &x.n_paths : &x.n_hosts;
			const char **fresh =
			    arena_array(&L->m->arena, *n + 1, sizeof(*fresh));
			if (*n)
				memcpy(fresh, *arr, *n * sizeof(*fresh));
			fresh[(*n)++] = arena_strdup(&L->m->arena, s);
			*arr = fresh;
		}
	}
	lb_action(L, R, lb, "Actions", required(L, R, "Actions"), &x.action);
	GROW(L, li->rules, li->n_rules, L->cap_rules[lr]);
	li->rules[li->n_rules++] = x;
}

static int rule_priority_cmp(const void *a, const void *b)
{
	const struct model_listener_rule *x = a, *y = b;
	return (x->priority > y->priority) - (x->priority < y->priority);
}

/* Rules, routes or entries whose own Condition is unknown are left out,
 * and their object says so. */
static void unknown_attachment(struct cfn_loader *L, struct cfn_res *R,
			       enum rt t)
{
	skip(L, R);
	const char *key = t == T_ROUTE			  ? "RouteTableId"
			  : t == T_NACL_ENTRY		  ? "NetworkAclId"
			  : t == T_SG_IN || t == T_SG_OUT ? "GroupId"
							  : NULL;
	enum model_kind k = t == T_ROUTE	? MK_ROUTE_TABLE
			    : t == T_NACL_ENTRY ? MK_NETWORK_ACL
						: MK_SECURITY_GROUP;
	uint32_t r;
	const char *attr;
	struct cv *v = key ? prop(R, key) : NULL;
	if (v && v->kind == CV_STR && cfn_token(v->s, &r, &attr) && !attr &&
	    L->C->res[r].kind == k) {
		model_add_unknown(L->m, obj_of(L, &L->C->res[r]),
				  "'%s' exists only if its Condition holds, "
				  "which is unknown (%s)",
				  R->id, R->cond_why);
		return;
	}
	cfn_warn(L->C, R->tpl, R->key,
		 "'%s' is left out: its Condition is unknown (%s)", R->id,
		 R->cond_why);
}

/* Resources are evaluated lazily, so the properties of excluded or
 * in-cycle resources may be missing: they get empty maps.  Then each
 * resource's type, so that classification can look at any resource. */
static void read_types(struct cfn_loader *L)
{
	struct cfn *C = L->C;
	for (uint32_t r = 0; r < C->n_res; r++)
		if (!C->res[r].props) {
			static struct cv empty = {.kind = CV_MAP};
			C->res[r].props = &empty;
		}
	L->rt = xcalloc(C->n_res + 1, sizeof(*L->rt));
	L->skipped = xcalloc(C->n_res + 1, sizeof(*L->skipped));
	for (uint32_t r = 0; r < C->n_res; r++) {
		enum model_kind k;
		const char *p;
		if (C->res[r].type)
			L->rt[r] = rt_of(C->res[r].type, &k, &p);
	}
}

/* Pass 3 for one resource: the model object's own properties. */
static void fill_object(struct cfn_loader *L, uint32_t r)
{
	struct model *m = L->m;
	struct cfn_res *R = &L->C->res[r];
	struct model_obj *o = obj_of(L, R);
	fill_tags(L, R, o);
	switch (L->rt[r]) {
	case T_VPC:
		fill_vpc(L, R, &m->vpcs[R->index]);
		break;
	case T_SUBNET:
		fill_subnet(L, R, &m->subnets[R->index]);
		break;
	case T_ROUTE_TABLE:
		m->route_tables[R->index].vpc = required_vpc(L, R, o, "VpcId");
		break;
	case T_IGW:
		m->igws[R->index].vpc = MODEL_NONE;
		break;
	case T_EIGW:
		m->igws[R->index].egress_only = true;
		m->igws[R->index].vpc = required_vpc(L, R, o, "VpcId");
		break;
	case T_NAT:
		fill_nat(L, R, &m->nat_gateways[R->index]);
		break;
	case T_SG:
		fill_sg(L, R, &m->groups[R->index]);
		break;
	case T_NACL:
		m->nacls[R->index].vpc = required_vpc(L, R, o, "VpcId");
		break;
	case T_PREFIX_LIST:
		fill_prefix_list(L, R, &m->prefix_lists[R->index]);
		break;
	case T_INSTANCE:
	case T_ENI:
		fill_instance(L, R, &m->instances[R->index], L->rt[r] == T_ENI);
		break;
	case T_ENDPOINT:
		fill_endpoint(L, R, &m->endpoints[R->index]);
		break;
	case T_PEERING:
		fill_peering(L, R, &m->peerings[R->index]);
		break;
	case T_LB:
		fill_lb(L, R, &m->lbs[R->index]);
		break;
	case T_TG:
		fill_tg(L, R, &m->target_groups[R->index]);
		break;
	case T_TASK_DEF:
		fill_task_def(L, R, &m->task_definitions[R->index]);
		break;
	case T_SERVICE:
		fill_service(L, R, &m->services[R->index]);
		break;
	case T_DB:
	case T_DB_CLUSTER:
		fill_db(L, R, &m->databases[R->index]);
		break;
	case T_ASG:
		fill_asg(L, R, &m->fleets[R->index]);
		break;
	case T_FUNCTION:
		fill_function(L, R, &m->fleets[R->index]);
		break;
	case T_CLB:
		fill_clb(L, R, &m->lbs[R->index]);
		break;
	case T_CACHE:
	case T_CACHE_RG:
		fill_cache(L, R, &m->databases[R->index],
			   L->rt[r] == T_CACHE_RG);
		break;
	case T_EFS_MOUNT:
		fill_efs(L, R, &m->databases[R->index]);
		break;
	default:
		break;
	}
}

/* Pass 3: standalone objects, then those that read them (services and
 * databases). */
static void fill_objects(struct cfn_loader *L)
{
	for (int phase = 0; phase < 2; phase++)
		for (uint32_t r = 0; r < L->C->n_res; r++) {
			if (L->C->res[r].kind == MK_KIND_COUNT)
				continue;
			bool late = L->rt[r] == T_SERVICE || L->rt[r] == T_DB ||
				    L->rt[r] == T_DB_CLUSTER;
			if (late == (phase == 1))
				fill_object(L, r);
		}
}

/* Pass 4 for one resource of type t: what it adds to another object. */
static void attach_one(struct cfn_loader *L, uint32_t r, enum rt t)
{
	struct cfn_res *R = &L->C->res[r];
	switch (t) {
	case T_VPC_CIDR:
		attach_cidr(L, R);
		break;
	case T_GW_ATTACH:
		attach_gateway(L, R);
		break;
	case T_SUBNET_RT:
		attach_subnet(L, R, false);
		break;
	case T_SUBNET_NACL:
		attach_subnet(L, R, true);
		break;
	case T_ROUTE:
		attach_route(L, R);
		break;
	case T_SG_IN:
	case T_SG_OUT:
		attach_sg_rule(L, R, t == T_SG_IN);
		break;
	case T_NACL_ENTRY:
		attach_nacl_entry(L, R);
		break;
	case T_EIP:
	case T_EIP_ASSOC:
		attach_eip(L, R, t == T_EIP_ASSOC);
		break;
	case T_LISTENER:
		attach_listener(L, r);
		break;
	case T_LISTENER_RULE:
		attach_listener_rule(L, R);
		break;
	default:
		break;
	}
}

/* Pass 4: attachments, by kind so that each sees the ones before; one
 * whose Condition is unknown is left out and said so. */
static void attach_all(struct cfn_loader *L)
{
	static const enum rt order[] = {
	    T_VPC_CIDR, T_GW_ATTACH, T_SUBNET_RT, T_SUBNET_NACL,
	    T_ROUTE,	T_SG_IN,     T_SG_OUT,	  T_NACL_ENTRY,
	    T_EIP,	T_EIP_ASSOC, T_LISTENER,  T_LISTENER_RULE,
	};
	for (size_t k = 0; k < ARRAY_LEN(order); k++)
		for (uint32_t r = 0; r < L->C->n_res; r++) {
			struct cfn_res *R = &L->C->res[r];
			if (L->rt[r] != order[k] || !R->type || !R->included)
				continue;
			if (R->included < 0)
				unknown_attachment(L, R, order[k]);
			else
				attach_one(L, r, order[k]);
		}
}

/* Listener rules in priority order, as AWS evaluates them. */
static void sort_listener_rules(struct model *m)
{
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++)
		for (uint32_t l = 0; l < m->lbs[i].n_listeners; l++) {
			struct model_listener *li = &m->lbs[i].listeners[l];
			if (li->n_rules > 1)
				qsort(li->rules, li->n_rules,
				      sizeof(*li->rules), rule_priority_cmp);
		}
}

/* A cluster is reachable publicly when a member instance is (unless the
 * cluster says otherwise). */
static void public_clusters(struct cfn_loader *L)
{
	struct cfn *C = L->C;
	struct model *m = L->m;
	for (uint32_t r = 0; r < C->n_res; r++) {
		struct cfn_res *R = &C->res[r];
		if (L->rt[r] != T_DB || R->kind != MK_DATABASE)
			continue;
		struct model_database *d = &m->databases[R->index];
		if (d->replica_of == MODEL_NONE || !d->publicly_accessible)
			continue;
		for (uint32_t c = 0; c < C->n_res; c++)
			if (L->rt[c] == T_DB_CLUSTER &&
			    C->res[c].kind == MK_DATABASE &&
			    C->res[c].index == d->replica_of &&
			    !prop(&C->res[c], "PubliclyAccessible"))
				m->databases[d->replica_of]
				    .publicly_accessible = true;
	}
}

/* Nested stacks whose template is not loaded are not analysed. */
static void report_stacks(struct cfn_loader *L)
{
	struct cfn *C = L->C;
	for (uint32_t r = 0; r < C->n_res; r++) {
		struct cfn_res *R = &C->res[r];
		size_t doc;
		const char *why;
		if (L->rt[r] != T_STACK || R->included != 1 ||
		    R->child != CFN_NONE || !required(L, R, "TemplateURL"))
			continue;
		if (cfn_stack_template(C, r, &doc, &why))
			why = arena_printf(&C->a,
					   "its template '%s' is its own or a "
					   "parent's, or nests stacks too "
					   "deep",
					   C->docs->v[doc].path);
		gap_warn(L, R, "%s", why);
	}
}

/* Which resources the model does not hold, beyond the gaps and
 * attachments that said so: types vpcsim does not model, supported ones
 * left out, attachments whose Condition is unknown. */
static void mark_skipped(struct cfn_loader *L)
{
	struct cfn *C = L->C;
	for (uint32_t r = 0; r < C->n_res; r++) {
		struct cfn_res *R = &C->res[r];
		if (!R->type || !R->included)
			continue;
		enum model_kind k = rt_kind(L->rt[r]);
		/* launch settings count as uses of what they name, also
		 * when no Auto Scaling group in the load uses them */
		if (L->rt[r] == T_OTHER || L->rt[r] == T_LAUNCH_TEMPLATE ||
		    L->rt[r] == T_LAUNCH_CONFIG ||
		    (k < MK_KIND_COUNT && R->kind == MK_KIND_COUNT) ||
		    (L->rt[r] == T_STACK && R->child == CFN_NONE) ||
		    (k == MK_KIND_COUNT && R->included < 0))
			L->skipped[r] = true;
	}
}

/* Every resource a value names (tokens, also inside text) that is a
 * model object is used by `by`, once per object (seen).  A target group
 * named under TargetGroupARNs or TargetGroupArn by a resource the model
 * does not hold (an Auto Scaling group, a left-out ECS service) gets
 * targets the model lacks: its forwards say so.  key is the property the
 * value is under. */
static void use_tokens(struct cfn_loader *L, const struct cv *v, const char *by,
		       uint8_t *seen, const char *key, bool registers)
{
	struct cfn *C = L->C;
	if (v->kind == CV_LIST || v->kind == CV_MAP) {
		for (uint32_t i = 0; i < v->n; i++)
			use_tokens(L, v->items[i], by, seen,
				   v->kind == CV_MAP ? v->keys[i] : key,
				   registers);
		return;
	}
	if (v->kind != CV_STR)
		return;
	bool tg_key = key && (!strcmp(key, "TargetGroupARNs") ||
			      !strcmp(key, "TargetGroupArn"));
	for (const char *p = strchr(v->s, CFN_TOK); p;) {
		uint32_t r = 0;
		const char *q = p + 1;
		for (; *q >= '0' && *q <= '9'; q++)
			r = r * 10 + (uint32_t)(*q - '0');
		const char *end = strchr(q, CFN_TOK);
		if (!end)
			break;
		struct cfn_res *T =
		    q > p + 1 && r < C->n_res ? &C->res[r] : NULL;
		if (T && T->kind == MK_TARGET_GROUP && registers && tg_key)
			model_add_unknown(L->m, obj_of(L, T),
					  "%s, which vpcsim does not model, "
					  "registers targets in it",
					  by);
		if (T && !seen[r] && T->kind < MK_KIND_COUNT) {
			seen[r] = 1;
			model_add_use(L->m, T->kind, T->index, by);
		}
		p = strchr(end + 1, CFN_TOK);
	}
}

/* What the skipped resources and the templates' outputs name is in use,
 * by something no rule sees (an Auto Scaling group's launch
 * configuration naming a group, an export a stack outside the load
 * imports).  An output only the load itself reads (a nested stack's
 * output its parent reads) is no outside use: its reader is in the
 * model.  An export is one even when a loaded template imports it: any
 * stack of the account and region may import it too. */
static void outside_uses(struct cfn_loader *L)
{
	struct cfn *C = L->C;
	uint8_t *seen = xcalloc(C->n_res + 1, 1);
	for (uint32_t r = 0; r < C->n_res; r++) {
		struct cfn_res *R = &C->res[r];
		if (!L->skipped[r] || !R->props)
			continue;
		seen[r] = 1; /* not its own user */
		char *by = xasprintf("'%s' (%s)", R->id, R->type);
		/* An ignored listener or rule forwards rather than registers
		 * (forward_unknown said so). */
		use_tokens(L, R->props, by, seen, NULL,
			   L->rt[r] != T_LISTENER &&
			       L->rt[r] != T_LISTENER_RULE);
		free(by);
	}
	for (uint32_t t = 0; t < C->n_tpls; t++)
		for (uint32_t i = 0; i < C->tpls[t].n_outputs; i++) {
			struct cfn_output *o = &C->tpls[t].outputs[i];
			if (!o->value || (o->consumed && !o->export_node))
				continue;
			char *by = xasprintf("output '%s' of stack '%s'",
					     o->name, C->tpls[t].stack);
			use_tokens(L, o->value, by, seen, NULL, false);
			free(by);
		}
	free(seen);
}

static void loader_free(struct cfn_loader *L)
{
	free(L->rt);
	free(L->skipped);
	free(L->cap_cidrs);
	free(L->cap_routes);
	free(L->cap_in);
	free(L->cap_out);
	free(L->cap_nin);
	free(L->cap_nout);
	free(L->cap_listeners);
	free(L->cap_targets);
	free(L->li_lb);
	free(L->li_idx);
	free(L->cap_rules);
	free(L->route_count);
}

/* Whether some given template holds a nested stack: only then does the
 * load need rounds to find the children. */
static bool any_stack(const struct load_docs *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct ydoc *doc = d->v[i].doc;
		if (!d->v[i].given || !doc)
			continue;
		struct ydoc_node *res =
		    ykit_map_get(doc, ydoc_root(doc), "Resources", NULL);
		if (!res || res->type != YAML_MAPPING_NODE)
			continue;
		for (yaml_node_pair_t *p = res->data.mapping.pairs.start;
		     p < res->data.mapping.pairs.top; p++) {
			const char *t = ykit_text(ykit_map_get(
			    doc, ykit_node(doc, p->value), "Type", NULL));
			if (t && !strcmp(t, "AWS::CloudFormation::Stack"))
				return true;
		}
	}
	return false;
}

/*
 * A quiet evaluation of the instances inst[0..n) into *C: templates read
 * and evaluated into a scratch model whose diagnostics go to quiet, which
 * nobody prints (the load of each model says what is wrong).  quiet_free
 * frees C and its scratch model; the caller frees quiet.
 */
static void quiet_prepare(struct cfn *C, struct diag_list *quiet,
			  struct load_docs *docs, const char *const *params,
			  size_t n_params, const struct cfn_inst *inst,
			  size_t n)
{
	*C = (struct cfn){.m = model_new(NULL),
			  .diags = quiet,
			  .docs = docs,
			  .params = params,
			  .n_params = n_params};
	arena_init(&C->a);
	cfn_prepare(C, inst, n);
}

static void quiet_free(struct cfn *C)
{
	struct model *scratch = C->m;
	cfn_free(C);
	model_free(scratch);
}

/*
 * The rounds that find nested stacks' templates (cfn_stack.c): each
 * evaluates the plan's instances quietly, on a scratch model (what they
 * find wrong, the final evaluation reports), and adds the children found,
 * until a round adds none.  Every round adds a link or takes an input as
 * a child, and nesting is bounded, so they end.
 */
static void find_children(struct cfn_plan *plan, struct load_docs *docs,
			  const char *const *params, size_t n_params)
{
	for (bool grew = true; grew;) {
		size_t n;
		const struct cfn_inst *inst = cfn_plan_instances(plan, &n);
		struct diag_list quiet = DIAG_LIST_INIT;
		struct cfn C;
		quiet_prepare(&C, &quiet, docs, params, n_params, inst, n);
		grew = cfn_plan_grow(plan, &C);
		quiet_free(&C);
		diag_list_free(&quiet);
	}
}

/*
 * Suppressions in Metadata: a template's `Metadata: {vpcsim: {suppress:
 * [...]}}` covers every line of it, a resource's the object it became
 * (if any) and its own lines, so that the rule a SecurityGroupIngress
 * resource adds is covered by the suppression written on it
 * (load/suppress.c reads the entries).  A template instantiated twice (a
 * nested stack used twice) has its mistakes said once.
 */
static void vpcsim_metadata(struct ykit *R, struct model *m,
			    const struct ydoc_node *owner,
			    const struct model_suppress *scope,
			    const char *what)
{
	const struct ydoc_node *md =
	    ykit_map_get(R->doc, owner, "Metadata", NULL);
	const struct ydoc_node *v =
	    md && md->type == YAML_MAPPING_NODE
		? ykit_map_get(R->doc, md, "vpcsim", NULL)
		: NULL;
	if (!v)
		return;
	static const char *const keys[] = {"suppress"};
	struct ydoc_node *sup;
	char w[256];
	snprintf(w, sizeof(w), "Metadata vpcsim of %s", what);
	if (!ykit_take_keys(R, v, w, keys, 1, &sup, NULL) || !sup)
		return;
	snprintf(w, sizeof(w), "a suppression of %s", what);
	load_suppress_yaml(R, m, sup, scope, w);
}

static void read_suppressions(struct cfn *C, struct model *m)
{
	struct diag_list quiet = DIAG_LIST_INIT;
	for (uint32_t t = 0; t < C->n_tpls; t++) {
		struct cfn_tpl *T = &C->tpls[t];
		bool again = false;
		for (uint32_t k = 0; k < t && !again; k++)
			again = C->tpls[k].doc == T->doc;
		struct ykit R;
		ykit_init(&R, T->doc, T->file, again ? &quiet : C->diags);
		if (!again) {
			struct model_suppress all = {.kind = MK_KIND_COUNT,
						     .first = 1,
						     .last = UINT32_MAX};
			vpcsim_metadata(&R, m, T->root, &all, "the template");
		}
		for (uint32_t r = T->first_res; r < T->first_res + T->n_res;
		     r++) {
			struct cfn_res *X = &C->res[r];
			if (!X->logical || !X->node || X->included != 1 ||
			    X->node->type != YAML_MAPPING_NODE)
				continue;
			uint32_t line, col;
			ykit_pos(X->key, &line, &col);
			struct model_suppress scope = {
			    .kind = X->kind,
			    .index = X->kind < MK_KIND_COUNT ? X->index : 0,
			    .first = line,
			    .last = load_last_line(T->doc, X->node)};
			char what[160];
			snprintf(what, sizeof(what), "resource '%s'",
				 X->logical);
			vpcsim_metadata(&R, m, X->node, &scope, what);
		}
		ykit_fini(&R);
	}
	diag_list_free(&quiet);
}

/* The root instance of instance t (its given input). */
static uint32_t root_of(const struct cfn *C, uint32_t t)
{
	while (C->tpls[t].parent != CFN_NONE)
		t = C->tpls[t].parent;
	return t;
}

static size_t find_set(size_t *join, size_t i)
{
	while (join[i] != i)
		i = join[i] = join[join[i]];
	return i;
}

/* Joins two sets; the smaller index stays the representative. */
static void unite(size_t *join, size_t a, size_t b)
{
	a = find_set(join, a);
	b = find_set(join, b);
	if (a < b)
		join[b] = a;
	else
		join[a] = b;
}

void cfn_join(struct load_docs *docs, const char *const *params,
	      size_t n_params, size_t *join, bool *declares)
{
	size_t n_given = 0;
	while (n_given < docs->n && docs->v[n_given].given)
		n_given++;
	for (size_t i = 0; i < n_given; i++)
		join[i] = i;
	struct cfn_plan *plan = cfn_plan_new(docs);
	if (any_stack(docs))
		find_children(plan, docs, params, n_params);
	size_t n;
	const struct cfn_inst *inst = cfn_plan_instances(plan, &n);
	struct diag_list quiet = DIAG_LIST_INIT;
	struct cfn C;
	quiet_prepare(&C, &quiet, docs, params, n_params, inst, n);
	/* A child joins its root's model when it is an input itself. */
	for (uint32_t t = 0; t < C.n_tpls; t++)
		if (C.tpls[t].entry < n_given)
			unite(join, C.tpls[t].entry,
			      C.tpls[root_of(&C, t)].entry);
	for (uint32_t k = 0; k < C.n_imports; k++)
		unite(join, C.tpls[root_of(&C, C.imports[k][0])].entry,
		      C.tpls[root_of(&C, C.imports[k][1])].entry);
	for (size_t i = 0; i < n_given; i++)
		join[i] = find_set(join, i);
	for (uint32_t t = 0; declares && t < C.n_tpls; t++) {
		size_t g = join[C.tpls[root_of(&C, t)].entry];
		for (size_t k = 0; k < n_params; k++) {
			const char *eq = strchr(params[k], '=');
			size_t len = eq ? (size_t)(eq - params[k]) : 0;
			for (uint32_t p = 0; p < C.tpls[t].n_params; p++)
				if (strlen(C.tpls[t].params[p].name) == len &&
				    !strncmp(C.tpls[t].params[p].name,
					     params[k], len))
					declares[g * n_params + k] = true;
		}
	}
	quiet_free(&C);
	diag_list_free(&quiet);
	cfn_plan_free(plan);
}

int model_load_cfn_multi(struct model *m, struct load_docs *docs,
			 const char *const *params, size_t n_params,
			 struct diag_list *diags)
{
	struct cfn C = {.m = m,
			.diags = diags,
			.docs = docs,
			.params = params,
			.n_params = n_params};
	struct cfn_loader L = {.C = &C, .m = m};
	size_t before = diags->n_errors;
	arena_init(&C.a);
	m->format = "cloudformation";
	struct cfn_plan *plan = cfn_plan_new(docs);
	if (any_stack(docs))
		find_children(plan, docs, params, n_params);
	size_t n;
	const struct cfn_inst *inst = cfn_plan_instances(plan, &n);
	if (cfn_prepare(&C, inst, n) < 0 && !C.n_res)
		goto out;
	read_types(&L);
	allocate(&L);
	mark_skipped(&L);
	report_skipped(&L);
	report_stacks(&L);
	L.li_lb = xcalloc(C.n_res + 1, sizeof(uint32_t));
	L.li_idx = xcalloc(C.n_res + 1, sizeof(uint32_t));
	L.cap_rules = xcalloc(C.n_res + 1, sizeof(uint32_t));
	for (uint32_t r = 0; r < C.n_res; r++)
		L.li_lb[r] = CFN_NONE;
	fill_objects(&L);
	attach_all(&L);
	sort_listener_rules(m);
	public_clusters(&L);
	capacity_clusters(&L);
	outside_uses(&L);
	read_suppressions(&C, m);
out:
	loader_free(&L);
	cfn_plan_free(plan);
	if (!m->by_id) {
		uint32_t zero[MK_KIND_COUNT] = {0};
		model_alloc_kinds(m, zero);
		model_index_ids(m, diags);
	}
	cfn_free(&C);
	return diags->n_errors == before ? 0 : -1;
}

int model_load_cfn(struct model *m, struct ydoc *doc, struct diag_list *diags)
{
	/* A set the loader may grow (a nested stack's local template). */
	struct load_docs d = {.diags = diags};
	size_t k = load_docs_add(&d, m->file, true);
	d.v[k].doc = doc;
	d.v[k].state = 1;
	int rc = model_load_cfn_multi(m, &d, NULL, 0, diags);
	load_docs_free(&d);
	return rc;
}
