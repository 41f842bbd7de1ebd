//! Backend integration tests: a real server on a real port, real WebSocket clients, and the
//! real `looplab` binary.

mod admission;
mod cli;
mod faults;
mod gather;
mod hostile;
mod http;
mod lessons;
mod load;
mod locks;
mod logs;
mod nginx;
mod ops;
mod page;
mod parse;
mod proxy;
mod repeat;
mod requests;
mod router;
mod schedule;
mod security;
mod support;
