"""discloser：部门预算公开包生成器。"""
