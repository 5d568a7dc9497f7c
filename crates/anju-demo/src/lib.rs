//! anju-demo
