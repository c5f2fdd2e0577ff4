# Two local modules and a counted resource: every finding names the .tf
# file and line where its resource is written.

module "net" {
  source = "./modules/net"
  cidr   = "10.60.0.0/16"
}

module "web" {
  source = "./modules/web"
  vpc_id = module.net.vpc_id
}

# Two admin hosts in the public subnet, in the group open to SSH.
resource "aws_instance" "admin" {
  count                       = 2
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  subnet_id                   = module.net.public_subnet_id
  vpc_security_group_ids      = [module.web.sg_id]
  associate_public_ip_address = true
}
