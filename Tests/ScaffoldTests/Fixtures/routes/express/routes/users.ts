import { Router, Request, Response } from 'express';
import { requireRole } from '../middleware';
import profileRouter from './profile';

const router = Router();

router.get('/', listUsers);
router.post('/', requireRole('admin'), createUser);
router.get('/:id', getUser);
router.put('/:id', requireRole('admin'), async (req: Request, res: Response) => {
  res.json({ id: req.params.id, path: `/users/${req.params.id}` });
});
router.delete('/:id', requireRole('admin'), deleteUser);
router.use('/:id/profile', profileRouter);

export default router;
