variable "cidr" {
  type = string
}

# Text that looks like the blocks below but is not one: a comment,
# resource "aws_vpc" "this" {
locals {
  banner = "resource \"aws_vpc\" \"this\" { ${var.cidr} }"
  motd   = <<-EOT
    resource "aws_subnet" "public" {
    }
  EOT
  tags = { for k, v in { a = "resource" } : k => "${v}}" }
}

/*
resource "aws_route_table" "public" {
}
*/

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.60.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

# A group nothing uses.
resource "aws_security_group" "spare" {
  name   = "spare"
  vpc_id = aws_vpc.this.id
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "public_subnet_id" {
  value = aws_subnet.public.id
}
