/* addrpolicy--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "ALTER EXTENSION addrpolicy UPDATE TO '1.1'" to load this file. \quit

/*
 * 1.1: the control file no longer fixes the schema (1.0 said schema =
 * public), so CREATE EXTENSION addrpolicy SCHEMA ipam installs into a
 * registry's own schema.  A fresh 1.1 is the 1.0 script followed by this one
 * (CREATE EXTENSION walks the chain), so both ways give the same objects;
 * test/upgrade checks it.
 */
