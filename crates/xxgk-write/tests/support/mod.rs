pub mod wordgrid;
